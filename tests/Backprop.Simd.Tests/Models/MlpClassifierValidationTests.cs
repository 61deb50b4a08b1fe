using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Models;

/// <summary>
/// Bad options fail in the constructor, naming the option, and a first <c>Fit</c> that fails before training leaves
/// the classifier unfitted, so that a corrected call builds the network from its own labels.
/// </summary>
public sealed class MlpClassifierValidationTests
{
    private static readonly LabelledData<float> s_data = SyntheticData.Blobs<float>(30, 5, 3, seed: 2);

    public static TheoryData<string, string> InvalidOptions => new()
    {
        { "HiddenLayers", "null" },
        { "HiddenLayers", "[8, 0]" },
        { "HiddenActivation", "null" },
        { "Output", "99" },
        { "Initialization", "99" },
        { "Optimizer", "null" },
        { "Dropout", "-0.5" },
        { "Dropout", "1" },
        { "LearningRate", "0" },
        { "LearningRate", "NaN" },
        { "LearningRate", "Infinity" },
        { "Momentum", "1" },
        { "Momentum", "0 with Nesterov" },
        { "WeightDecay", "NaN" },
        { "Reduction", "7" },
        { "BatchSize", "0" },
        { "MaxDegreeOfParallelism", "-1" },
        { "ClassCount", "1" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void An_invalid_option_is_rejected_by_the_constructor_naming_it(string option, string value)
    {
        MlpClassifierOptions options = new();
        switch ((option, value))
        {
            case ("HiddenLayers", "null"): options.HiddenLayers = null!; break;
            case ("HiddenLayers", _): options.HiddenLayers = [8, 0]; break;
            case ("HiddenActivation", _): options.HiddenActivation = null!; break;
            case ("Output", _): options.Output = (OutputLayer)99; break;
            case ("Initialization", _): options.Initialization = (WeightInitialization)99; break;
            case ("Optimizer", _): options.Optimizer = null!; break;
            case ("Dropout", _): options.Dropout = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case ("LearningRate", _): options.LearningRate = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case ("Momentum", "1"): options.Momentum = 1; break;
            case ("Momentum", _): (options.Optimizer, options.Momentum) = (OptimizerKind.Nesterov, 0); break;
            case ("WeightDecay", _): options.WeightDecay = double.NaN; break;
            case ("Reduction", _): options.Training.Reduction = (Reduction)7; break;
            case ("BatchSize", _): options.Training.BatchSize = 0; break;
            case ("MaxDegreeOfParallelism", _): options.Training.MaxDegreeOfParallelism = -1; break;
            case ("ClassCount", _): options.ClassCount = 1; break;
            default: throw new ArgumentException(option);
        }

        var ex = Assert.ThrowsAny<ArgumentException>(() => new MlpClassifier<float>(options));
        Assert.Equal(option, ex.ParamName);
    }

    [Fact]
    public void A_learning_rate_that_is_no_float_is_refused_before_anything_changes()
    {
        // 1e300 is a finite double but +∞ as a float, 1e-50 is 0 as one.
        foreach (double rate in new[] { 1e300, 1e-50 })
        {
            Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpClassifier<float>(new MlpClassifierOptions { LearningRate = rate })).ParamName);
        }

        _ = new MlpClassifier<double>(new MlpClassifierOptions { LearningRate = 1e300 });
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], LearningRate = 0.01, Training = { Epochs = 1 } });
        classifier.Fit(s_data.Inputs, s_data.Labels);
        Assert.Throws<ArgumentOutOfRangeException>(() => classifier.LearningRate = 1e300);
        Assert.Equal((0.01, 0.01), (classifier.LearningRate, classifier.Trainer!.Optimizer.LearningRate));
    }

    [Fact]
    public void A_first_fit_that_fails_before_training_leaves_the_classifier_unfitted()
    {
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], Training = { Epochs = 1 } });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Action[] failures =
        [
            () => classifier.Fit(new Matrix<float>(0, 5), []),
            () => classifier.Fit(s_data.Inputs, s_data.Labels.AsSpan(0, 10)),
            () => classifier.Fit(s_data.Inputs, s_data.Labels, null, cancelled.Token),
            () => classifier.Fit(s_data.Inputs, s_data.Labels, new Matrix<float>(2, 4), [0, 1]),
        ];

        foreach (Action fit in failures)
        {
            Assert.ThrowsAny<Exception>(fit);
            Assert.False(classifier.IsFitted);
            Assert.Null(classifier.Trainer);
        }

        // The zero-row call saw no labels and would have built a 2-class network; this one has labels 0..2.
        classifier.Fit(s_data.Inputs, s_data.Labels);
        Assert.Equal(3, classifier.ClassCount);
        Assert.Single(classifier.History);
    }

    [Fact]
    public void A_fit_cancelled_after_training_began_keeps_what_it_trained()
    {
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], Training = { Epochs = 3, BatchSize = 10 } });
        using var cancel = new CancellationTokenSource();
        var batches = new RecordingProgress<BatchProgress>(b => cancel.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() => classifier.Fit(s_data.Inputs, s_data.Labels, null, default, null, batches, cancel.Token));
        Assert.True(classifier.IsFitted);
        Assert.Equal(1, classifier.Trainer!.StepsCompleted);
    }

    [Fact]
    public void The_class_count_comes_from_the_option_or_from_labels_that_show_every_class()
    {
        // Training labels 0..2; a data set of 10 classes must still get 10 outputs, or its test set cannot be scored.
        var given = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], ClassCount = 10, Training = { Epochs = 1 } });
        given.Fit(s_data.Inputs, s_data.Labels);
        Assert.Equal(10, given.ClassCount);

        var inferred = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], Training = { Epochs = 1 } });
        inferred.Fit(s_data.Inputs, s_data.Labels, s_data.Inputs.GetRows(0, 2), [2, 0]);
        Assert.Equal(3, inferred.ClassCount);

        // Labels beyond the option are rejected, and the classifier stays unfitted.
        var tooFew = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], ClassCount = 2, Training = { Epochs = 1 } });
        Assert.Throws<ArgumentOutOfRangeException>(() => tooFew.Fit(s_data.Inputs, s_data.Labels));
        Assert.False(tooFew.IsFitted);

        Network<float> network = SyntheticData.Mlp<float>(5, 4, 3, seed: 1);
        Assert.Throws<ArgumentException>(() => new MlpClassifier<float>(network, new MlpClassifierOptions { ClassCount = 4 }));
    }

    /// <summary>A stray label (42 among classes 0..2) once made a 43-class model without a word; now it is named.</summary>
    [Fact]
    public void Labels_that_leave_a_class_unseen_are_refused_unless_the_class_count_is_declared()
    {
        int[] stray = [.. s_data.Labels];
        stray[17] = 42;
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], Training = { Epochs = 1 } });

        var e = Assert.Throws<ArgumentException>(() => classifier.Fit(s_data.Inputs, stray));
        Assert.Equal("labels", e.ParamName);
        Assert.StartsWith("Without ClassCount the classes are 0 to the largest label, 42 (labels[17]), and each must occur among the training labels, but class 3 never does", e.Message, StringComparison.Ordinal);
        Assert.False(classifier.IsFitted);

        // A validation label beyond the training labels' classes, a label near int.MaxValue (no array of that size is
        // allocated) and a single class are refused the same way.
        var v = Assert.Throws<ArgumentException>(() => classifier.Fit(s_data.Inputs, s_data.Labels, s_data.Inputs.GetRows(0, 2), [5, 0]));
        Assert.Contains("5 (validationLabels[0])", v.Message, StringComparison.Ordinal);
        stray[17] = int.MaxValue;
        Assert.Contains($"{int.MaxValue} (labels[17])", Assert.Throws<ArgumentException>(() => classifier.Fit(s_data.Inputs, stray)).Message, StringComparison.Ordinal);
        Assert.Contains("one class", Assert.Throws<ArgumentException>(() => classifier.Fit(s_data.Inputs, new int[s_data.Labels.Length])).Message, StringComparison.Ordinal);
        Assert.False(classifier.IsFitted);

        // Declared, the same labels train (and 42 must then be below the count).
        stray[17] = 42;
        var declared = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], ClassCount = 43, Training = { Epochs = 1 } });
        declared.Fit(s_data.Inputs, stray);
        Assert.Equal(43, declared.ClassCount);
    }

    [Fact]
    public void Zero_epochs_no_samples_another_feature_count_and_predicting_unfitted_are_refused()
    {
        Assert.Equal("Epochs", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpClassifier<float>(new MlpClassifierOptions { Training = { Epochs = 0 } })).ParamName);

        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], Training = { Epochs = 1 } });
        Assert.Equal("The classifier has no network yet: call Fit first (or Load a saved one).", Assert.Throws<InvalidOperationException>(() => classifier.Predict(s_data.Inputs)).Message);
        Assert.Throws<InvalidOperationException>(() => classifier.PredictProba(s_data.Inputs.Row(0), new float[3]));
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => classifier.Fit(new Matrix<float>(0, 5), [])).ParamName);

        classifier.Fit(s_data.Inputs, s_data.Labels);
        var wider = new Matrix<float>(s_data.Inputs.Rows, 6);
        var e = Assert.Throws<ArgumentException>(() => classifier.Fit(wider, s_data.Labels));
        Assert.Equal("The classifier was fitted on 5 features but these samples have 6. (Parameter 'features')", e.Message);
        Assert.Equal("The samples have 6 features but the classifier takes 5. (Parameter 'features')", Assert.Throws<ArgumentException>(() => classifier.Predict(wider)).Message);
        Assert.Throws<ArgumentException>(() => classifier.Predict(new float[4]));
        Assert.Throws<ArgumentException>(() => classifier.Fit(s_data.Inputs, s_data.Labels, new Matrix<float>(2, 4), [0, 1]));
        Assert.Equal("validationLabels", Assert.Throws<ArgumentException>(() => classifier.Fit(s_data.Inputs, s_data.Labels, null, [0, 1])).ParamName);
        Assert.Single(classifier.History);
    }

    [Fact]
    public void Standardize_is_refused_for_a_network_that_comes_without_its_standardiser()
    {
        Network<float> network = SyntheticData.Mlp<float>(5, 4, 3, seed: 1);
        Assert.Throws<ArgumentException>(() => new MlpClassifier<float>(network, new MlpClassifierOptions { Standardize = true }));
        Assert.Throws<ArgumentException>(() => new MlpClassifier<float>(SyntheticData.Mlp<float>(5, 4, 1, seed: 1)));
    }

    [Fact]
    public void No_samples_predict_nothing_and_score_NaN()
    {
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], Training = { Epochs = 1 } });
        classifier.Fit(s_data.Inputs, s_data.Labels);
        var none = new Matrix<float>(0, 5);
        Assert.Empty(classifier.Predict(none));
        classifier.Predict(none, Span<int>.Empty);
        Assert.Equal(0, classifier.PredictProba(none).Rows);
        Assert.True(double.IsNaN(classifier.Score(none, [])));
    }

    [Fact]
    public void The_options_are_copied_with_their_hidden_layers()
    {
        List<int> widths = [8];
        var options = new MlpClassifierOptions { HiddenLayers = widths, Training = { Epochs = 1 } };
        var classifier = new MlpClassifier<float>(options);
        widths.Add(0);
        options.LearningRate = -1;
        classifier.Fit(s_data.Inputs, s_data.Labels);
        Assert.Equal([8], classifier.Options.HiddenLayers);
        Assert.Equal(2, classifier.Network.Layers.Count(l => l is Dense<float>));
    }
}
