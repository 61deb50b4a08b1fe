using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Models;

/// <summary>The classifier: warm starts, softmax probabilities, Predict and Score by hand, and the notebook recipe.</summary>
public sealed class MlpClassifierTests
{
    private static readonly LabelledData<float> s_data = SyntheticData.Blobs<float>(120, 10, 4, seed: 1);

    [Fact]
    public void Fitting_twice_continues_from_the_trained_weights()
    {
        var twice = new MlpClassifier<float>(Options(epochs: 2));
        twice.Fit(s_data.Inputs, s_data.Labels);
        twice.Fit(s_data.Inputs, s_data.Labels);
        var once = new MlpClassifier<float>(Options(epochs: 4));
        once.Fit(s_data.Inputs, s_data.Labels);

        FloatAssert.SameBits<float>(twice.Network.Parameters, once.Network.Parameters, "two fits of 2 epochs against one of 4");
        Assert.Equal(4, twice.History.Count);
        Assert.Equal(new[] { 1, 2, 3, 4 }, twice.History.Select(e => e.Epoch));

        // And the same as a trainer on the network the classifier builds, for the same total.
        Network<float> network = Network<float>.Create(10, seed: 5).Dense(16, Activation.Relu).Dropout(0.1).Dense(4).Build();
        new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(0.01), new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 5 })
            .Fit(s_data.Inputs, s_data.Targets);
        FloatAssert.SameBits<float>(once.Network.Parameters, network.Parameters, "classifier against trainer");
    }

    [Fact]
    public void A_learning_rate_changed_between_fits_is_used()
    {
        var classifier = new MlpClassifier<float>(Options(epochs: 1));
        classifier.Fit(s_data.Inputs, s_data.Labels);
        classifier.LearningRate = 0.004;
        classifier.Fit(s_data.Inputs, s_data.Labels);
        Assert.Equal(new[] { 0.01, 0.004 }, classifier.History.Select(e => e.LearningRate));
        Assert.Equal(0.004, classifier.Trainer!.Optimizer.LearningRate);
    }

    [Fact]
    public void PredictProba_gives_the_softmax_of_the_logits()
    {
        MlpClassifier<float> classifier = Fitted();
        Matrix<float> logits = classifier.Network.Predict(s_data.Inputs);
        Matrix<float> probabilities = classifier.PredictProba(s_data.Inputs);
        float[] single = new float[4];
        for (int i = 0; i < s_data.Inputs.Rows; i++)
        {
            double[] z = [.. logits.Row(i).ToArray().Select(v => (double)v)];
            double denominator = z.Sum(v => Math.Exp(v - z.Max()));
            double sum = 0;
            classifier.PredictProba(s_data.Inputs.Row(i), single);
            for (int j = 0; j < 4; j++)
            {
                double expected = Math.Exp(z[j] - z.Max()) / denominator;
                Assert.True(Math.Abs(probabilities[i, j] - expected) <= 1e-6, $"sample {i}, class {j}: {probabilities[i, j]}, softmax {expected}");
                Assert.Equal(probabilities[i, j], single[j]);
                sum += probabilities[i, j];
            }

            Assert.True(Math.Abs(sum - 1) <= 1e-6, $"sample {i}: probabilities sum to {sum}");
        }
    }

    [Fact]
    public void Predict_is_the_argmax_of_PredictProba_and_Score_the_fraction_predicted_right()
    {
        MlpClassifier<float> classifier = Fitted();
        Matrix<float> probabilities = classifier.PredictProba(s_data.Inputs);
        int[] predicted = classifier.Predict(s_data.Inputs);
        int[] fromSpans = new int[s_data.Inputs.Rows];
        classifier.Predict(s_data.Inputs, fromSpans);
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            float[] row = probabilities.Row(i).ToArray();
            int argmax = Array.IndexOf(row, row.Max());
            Assert.Equal(argmax, predicted[i]);
            Assert.Equal(argmax, fromSpans[i]);
            Assert.Equal(argmax, classifier.Predict(s_data.Inputs.Row(i)));
            correct += argmax == s_data.Labels[i] ? 1 : 0;
        }

        Assert.Equal((double)correct / predicted.Length, classifier.Score(s_data.Inputs, s_data.Labels));
        Assert.InRange(correct, 61, 120);
    }

    /// <summary>
    /// The notebook's recipe: summed gradients over minibatches taken in order, sigmoid units initialised in (−1, 1)
    /// and one sigmoid cross-entropy per class, plain SGD. The classifier must train exactly like a trainer set up so
    /// (which a mean reduction or shuffling would not).
    /// </summary>
    [Fact]
    public void The_notebook_recipe_sums_over_ordered_minibatches()
    {
        MlpClassifierOptions options = MlpClassifierOptions.Notebook([12], learningRate: 0.002, l2: 0.01, epochs: 3, batchCount: 7, seed: 3);
        Assert.Equal((Reduction.Sum, false, 7, OutputLayer.Sigmoid, OptimizerKind.Sgd, 0.0), (options.Training.Reduction, options.Training.Shuffle, options.Training.BatchCount, options.Output, options.Optimizer, options.Momentum));
        var classifier = new MlpClassifier<float>(options);
        classifier.Fit(s_data.Inputs, s_data.Labels);

        foreach ((Reduction reduction, bool shuffle, bool same) in new[] { (Reduction.Sum, false, true), (Reduction.Mean, false, false), (Reduction.Sum, true, false) })
        {
            Network<float> network = Network<float>.Create(10, seed: 3)
                .Dense(12, Activation.Sigmoid, WeightInitialization.UniformUnit)
                .Dense(4, Activation.Identity, WeightInitialization.UniformUnit)
                .Build();
            var trainer = new Trainer<float>(network, new SigmoidCrossEntropy<float>(), new Sgd<float>(0.002), new TrainingOptions
            {
                Epochs = 3,
                BatchCount = 7,
                Shuffle = shuffle,
                Reduction = reduction,
                L2 = 0.01,
                Seed = 3,
            });
            trainer.Fit(s_data.Inputs, s_data.Targets);
            Assert.True(same == network.Parameters.SequenceEqual(classifier.Network.Parameters), $"{reduction}, shuffle {shuffle}: expected {(same ? "the same" : "other")} weights");
        }
    }

    [Fact]
    public void A_validation_fraction_still_reports_every_batch()
    {
        var options = Options(epochs: 2);
        options.Training.ValidationFraction = 0.25;
        var classifier = new MlpClassifier<float>(options);
        var batches = new RecordingProgress<BatchProgress>();
        classifier.Fit(s_data.Inputs, s_data.Labels, null, default, null, batches);
        Assert.Equal(2 * 6, batches.Reports.Count);
        Assert.All(classifier.History, e => Assert.False(double.IsNaN(e.ValidationLoss)));
    }

    /// <summary>
    /// Standardize makes the classifier a pipeline: the same weights as a classifier trained on inputs standardised by
    /// hand with a standardiser fitted on the rows that train (not those ValidationFraction holds out), and the same
    /// predictions from raw inputs as that one gives from standardised ones.
    /// </summary>
    [Fact]
    public void Standardize_fits_on_the_training_rows_and_standardises_every_input()
    {
        MlpClassifierOptions options = Options(epochs: 2);
        options.Training.ValidationFraction = 0.25;
        var manual = new MlpClassifier<float>(options);
        options.Standardize = true;
        var pipeline = new MlpClassifier<float>(options);

        Standardizer<float> standardizer = Standardizer<float>.Fit(s_data.Inputs.Slice(0, 90));
        Matrix<float> standardized = standardizer.Transform(s_data.Inputs);
        manual.Fit(standardized, s_data.Labels);
        pipeline.Fit(s_data.Inputs, s_data.Labels);

        Assert.Equal(standardizer.Mean.ToArray(), pipeline.Standardizer!.Mean.ToArray());
        Assert.Null(manual.Standardizer);
        FloatAssert.SameBits<float>(pipeline.Network.Parameters, manual.Network.Parameters, "weights");
        FloatAssert.SameBits<float>(pipeline.PredictProba(s_data.Inputs).AsSpan(), manual.PredictProba(standardized).AsSpan(), "batch probabilities");
        float[] single = new float[4], expected = new float[4];
        pipeline.PredictProba(s_data.Inputs.Row(7), single);
        manual.PredictProba(standardized.Row(7), expected);
        FloatAssert.SameBits<float>(single, expected, "one sample's probabilities");
        Assert.Equal(manual.Score(standardized, s_data.Labels), pipeline.Score(s_data.Inputs, s_data.Labels));
        Assert.Equal(manual.Evaluate(standardized, s_data.Labels).Accuracy, pipeline.Evaluate(s_data.Inputs, s_data.Labels).Accuracy);

        // A second Fit keeps the standardiser of the first (a warm start, not a new pipeline).
        Standardizer<float> first = pipeline.Standardizer;
        pipeline.Fit(standardized, s_data.Labels);
        Assert.Same(first, pipeline.Standardizer);
    }

    private static MlpClassifierOptions Options(int epochs) => new()
    {
        HiddenLayers = [16],
        Dropout = 0.1,
        LearningRate = 0.01,
        Training = { Epochs = epochs, BatchSize = 16, Seed = 5 },
    };

    private static MlpClassifier<float> Fitted()
    {
        var classifier = new MlpClassifier<float>(Options(epochs: 3));
        classifier.Fit(s_data.Inputs, s_data.Labels);
        return classifier;
    }
}
