using Backprop.Simd.Data;
using Backprop.Simd.Diagnostics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Metrics;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Models;
using Backprop.Simd.Tests.Data;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Models;

/// <summary>
/// README's code, so the code users copy keeps compiling and doing what README says: its quick start is
/// examples/QuickStart/Program.cs to the character (CI builds that program against the packed .nupkg and runs it), and
/// here it runs in process, statement for statement, on the repository's digits (only the epoch count, the file name
/// and the console output differ); the XOR example likewise.
/// </summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void Readme_quick_start_is_the_QuickStart_example()
    {
        string readme = File.ReadAllText(Path.Combine(DataTestFiles.RepositoryRoot, "README.md"));
        string program = File.ReadAllText(Path.Combine(DataTestFiles.RepositoryRoot, "examples", "QuickStart", "Program.cs"));
        Assert.Equal(program.ReplaceLineEndings("\n").TrimEnd('\n'), CodeBlockAfter(readme, "## Quick start"));
    }

    [Fact]
    public void Quick_start_trains_saves_loads_and_predicts()
    {
        string modelPath = Path.Combine(Path.GetTempPath(), $"readme-{Environment.ProcessId}.bpm");
        var log = new List<string>();
        try
        {
            (Dataset<float> train, Dataset<float> test) = LoadFolder(Path.GetDirectoryName(DataTestFiles.MnistImages)!);

            var classifier = new MlpClassifier<float>(new MlpClassifierOptions
            {
                HiddenLayers = [128],
                Standardize = true,
                Training = { Epochs = 3, BatchSize = 64 },
            });
            var progress = new SynchronousProgress<EpochMetrics>(m => log.Add($"epoch {m.Epoch}: loss {m.Loss:F4}"));
            classifier.Fit(train.Features, train.Labels, progress);

            ClassificationReport report = classifier.Evaluate(test.Features, test.Labels);

            classifier.Save(modelPath);
            MlpClassifier<float> loaded = MlpClassifier<float>.Load(modelPath);

            Span<float> probabilities = stackalloc float[loaded.ClassCount];
            loaded.PredictProba(test.Features.Row(0), probabilities);
            int predicted = loaded.Predict(test.Features.Row(0));

            Assert.Equal(["epoch 1", "epoch 2", "epoch 3"], log.Select(l => l[..7]));
            Assert.Equal((9500, 500), (train.Count, test.Count));
            Assert.True(report.Accuracy > 0.9, $"test accuracy {report.Accuracy:P1} after 3 epochs");
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

    /// <summary>The QuickStart's own loader, as it stands there.</summary>
    private static (Dataset<float> Train, Dataset<float> Test) LoadFolder(string folder)
    {
        Dataset<float> digits = Dataset<float>.LoadIdx(
            Path.Combine(folder, "mnist10k-images-idx3-ubyte.gz"), Path.Combine(folder, "mnist10k-labels-idx1-ubyte.gz"), classCount: 10);
        digits.Shuffle(seed: 42);
        DatasetSplit<float> split = digits.Split(heldOutCount: 500);
        return (split.Remaining, split.HeldOut);
    }

    /// <summary>The first ```csharp block after <paramref name="heading"/>, with \n line ends.</summary>
    private static string CodeBlockAfter(string markdown, string heading)
    {
        string text = markdown.ReplaceLineEndings("\n");
        int at = text.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(at >= 0, $"README has no '{heading}' section");
        int start = text.IndexOf("```csharp\n", at, StringComparison.Ordinal) + "```csharp\n".Length;
        int end = text.IndexOf("\n```", start, StringComparison.Ordinal);
        return text[start..end];
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, so its order is not defined).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
