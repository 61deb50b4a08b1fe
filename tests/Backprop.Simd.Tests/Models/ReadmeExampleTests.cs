using Backprop.Simd.Data;
using Backprop.Simd.Diagnostics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Models;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Data;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Models;

/// <summary>
/// README's embedding example, statement for statement (only the paths, the epoch count and the console output
/// differ), so the code users copy keeps compiling and doing what README says.
/// </summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void Embedding_example_trains_saves_loads_and_predicts()
    {
        string modelPath = Path.Combine(Path.GetTempPath(), $"readme-{Environment.ProcessId}.bpm");
        var log = new List<string>();
        try
        {
            Dataset<float> digits = Dataset<float>.LoadIdx(DataTestFiles.MnistImages, DataTestFiles.MnistLabels, classCount: 10);
            digits.Shuffle(seed: 42);
            DatasetSplit<float> split = digits.Split(heldOutCount: 500);
            Dataset<float> test = split.HeldOut, train = split.Remaining;

            var classifier = new MlpClassifier<float>(new MlpClassifierOptions
            {
                HiddenLayers = [256, 128],
                Training = { Epochs = 3, BatchSize = 128 },
            });
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var progress = new SynchronousProgress<EpochMetrics>(m => log.Add($"epoch {m.Epoch}: loss {m.Loss:F4}"));
            classifier.Fit(train.Features, train.Labels, progress, cancel.Token);
            double accuracy = classifier.Score(test.Features, test.Labels);

            ModelFile.Save(modelPath, new SavedModel<float>(classifier.Network));
            var loaded = new MlpClassifier<float>(ModelFile.Load<float>(modelPath).Network);

            Span<float> probabilities = stackalloc float[10];
            loaded.PredictProba(test.Features.Row(0), probabilities);
            int predicted = loaded.Predict(test.Features.Row(0));

            Assert.Equal(["epoch 1", "epoch 2", "epoch 3"], log.Select(l => l[..7]));
            Assert.True(accuracy > 0.9, $"test accuracy {accuracy:P1} after 3 epochs");
            Assert.Equal(classifier.Predict(test.Features), loaded.Predict(test.Features));
            Assert.Equal(1.0, probabilities.ToArray().Sum(), 1e-5);
            Assert.Equal(predicted, probabilities.ToArray().AsSpan().IndexOf(probabilities.ToArray().Max()));
        }
        finally
        {
            File.Delete(modelPath);
        }
    }

    [Fact]
    public void Xor_and_gradient_check_example()
    {
        var xor = new Matrix<double>(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var targets = new Matrix<double>(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });
        Network<double> net = Network<double>.Create(inputSize: 2, seed: 1)
            .Dense(3, Activation.Sigmoid, WeightInitialization.UniformUnit)
            .Dense(1, Activation.Sigmoid, WeightInitialization.UniformUnit)
            .Build();
        var trainer = new Trainer<double>(net, new BinaryCrossEntropy<double>(), new Sgd<double>(0.5, momentum: 0.9),
            new TrainingOptions { Epochs = 2000, BatchSize = 4, Shuffle = false, Reduction = Reduction.Sum });
        trainer.Fit(xor, targets);
        Matrix<double> predictions = net.Predict(xor);
        GradientCheckReport report = GradientCheck.Check(net, new BinaryCrossEntropy<double>(), xor, targets);

        Assert.Equal([false, true, true, false], Enumerable.Range(0, 4).Select(i => predictions[i, 0] > 0.5));
        Assert.True(report.MaxRelativeError < 1e-6, report.ToString());
        Assert.False(string.IsNullOrWhiteSpace(report.ToString()));
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, so its order is not defined).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
