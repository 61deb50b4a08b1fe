using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Tests.Serialization;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Models;

/// <summary>
/// Save and Load keep everything a classifier is: the same predictions bit for bit, the same options, metadata,
/// standardiser and history, and a Fit that continues as the saved classifier's would have.
/// </summary>
public sealed class MlpClassifierPersistenceTests : IDisposable
{
    private static readonly LabelledData<float> s_data = SyntheticData.Blobs<float>(120, 10, 4, seed: 3);
    private readonly string _directory = ModelTestData.CreateTemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_reloaded_classifier_predicts_the_same_bits_keeps_its_options_and_trains_on_as_before()
    {
        MlpClassifierOptions options = Recipe();
        var saved = new MlpClassifier<float>(options);
        saved.Fit(s_data.Inputs, s_data.Labels);
        saved.LearningRate = 0.004;
        string path = Path.Combine(_directory, "classifier.bpm");
        saved.Save(path);

        MlpClassifier<float> loaded = MlpClassifier<float>.Load(path);

        FloatAssert.SameBits<float>(loaded.PredictProba(s_data.Inputs).AsSpan(), saved.PredictProba(s_data.Inputs).AsSpan(), "probabilities");
        Assert.Equal(saved.Predict(s_data.Inputs), loaded.Predict(s_data.Inputs));
        AssertSameOptions(options, loaded.Options);
        Assert.Equal(0.004, loaded.LearningRate);
        Assert.Equal(saved.Metadata, loaded.Metadata);
        Assert.Equal(saved.Standardizer!.Mean.ToArray(), loaded.Standardizer!.Mean.ToArray());
        Assert.Equal(saved.History.Select(e => (e.Epoch, e.Loss, e.ValidationLoss)), loaded.History.Select(e => (e.Epoch, e.Loss, e.ValidationLoss)));

        saved.Fit(s_data.Inputs, s_data.Labels);
        loaded.Fit(s_data.Inputs, s_data.Labels);
        FloatAssert.SameBits<float>(loaded.Network.Parameters, saved.Network.Parameters, "weights after one more Fit each");
        Assert.Equal([1, 2, 3, 4], loaded.History.Select(e => e.Epoch));
        Assert.Equal([0.01, 0.01, 0.004, 0.002], loaded.History.Select(e => e.LearningRate));
    }

    [Fact]
    public void The_stream_overloads_round_trip_as_the_file_does()
    {
        var saved = new MlpClassifier<double>(Recipe());
        LabelledData<double> data = SyntheticData.Blobs<double>(60, 10, 4, seed: 4);
        saved.Fit(data.Inputs, data.Labels);
        using var stream = new MemoryStream();
        saved.Save(stream);
        stream.Position = 0;

        MlpClassifier<double> loaded = MlpClassifier<double>.Load(stream);

        FloatAssert.SameBits<double>(loaded.PredictProba(data.Inputs).AsSpan(), saved.PredictProba(data.Inputs).AsSpan(), "probabilities");
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Metadata_set_after_fit_is_saved_and_checked_against_the_network()
    {
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], Training = { Epochs = 1 } });
        Assert.Throws<InvalidOperationException>(() => classifier.Metadata);
        classifier.Fit(s_data.Inputs, s_data.Labels);
        Assert.Equal(new ClassifierMetadata(["0", "1", "2", "3"], new ImageShape(1, 10)), classifier.Metadata);

        var named = new ClassifierMetadata(["north", "east", "south", "west"], new ImageShape(2, 5)) { InputScaling = PixelScaling.Raw };
        classifier.Metadata = named;
        Assert.Equal("classes north, east, south, west; image 2x5; input scaling pixel; logits; softmax loss", named.ToString());
        string path = Path.Combine(_directory, "named.bpm");
        classifier.Save(path);

        Assert.Equal(named, MlpClassifier<float>.Load(path).Metadata);
        Assert.Equal("north\neast\nsouth\nwest", ModelFile.ReadInfo(path).Metadata["classes"]);
        Assert.Throws<ArgumentException>(() => classifier.Metadata = named with { ClassNames = ["a", "b", "c"] });
        Assert.Throws<ArgumentException>(() => classifier.Metadata = named with { ImageShape = new ImageShape(3, 3) });
        Assert.Throws<ArgumentException>(() => classifier.Metadata = named with { Loss = OutputLayer.Sigmoid });
        Assert.Throws<ArgumentException>(() => classifier.Metadata = named with { Output = ClassifierOutput.Probabilities });
        Assert.Equal(named, classifier.Metadata);
    }

    [Fact]
    public void A_classifier_around_a_network_saves_its_training_options_and_trains_on_after_loading_as_it_would_have()
    {
        var options = new MlpClassifierOptions { Optimizer = OptimizerKind.Nesterov, Momentum = 0.5, LearningRate = 0.02, Training = { Epochs = 2, BatchSize = 12, L2 = 0.001, Seed = 9 } };
        var original = new MlpClassifier<float>(SyntheticData.Mlp<float>(10, 8, 4, seed: 2), options);
        var copy = new MlpClassifier<float>(SyntheticData.Mlp<float>(10, 8, 4, seed: 2), options);
        string path = Path.Combine(_directory, "network.bpm");
        copy.Save(path);

        MlpClassifier<float> loaded = MlpClassifier<float>.Load(path);
        original.Fit(s_data.Inputs, s_data.Labels);
        loaded.Fit(s_data.Inputs, s_data.Labels);

        AssertSameOptions(options, loaded.Options);
        FloatAssert.SameBits<float>(loaded.Network.Parameters, original.Network.Parameters, "weights after the first Fit");
    }

    [Fact]
    public void Epochs_and_threads_changed_between_fits_train_on_exactly()
    {
        var straight = new MlpClassifier<float>(Recipe(epochs: 5));
        straight.Fit(s_data.Inputs, s_data.Labels);

        var stepped = new MlpClassifier<float>(Recipe(epochs: 2));
        stepped.Fit(s_data.Inputs, s_data.Labels);
        stepped.Epochs = 3;
        stepped.MaxDegreeOfParallelism = 1;
        stepped.Fit(s_data.Inputs, s_data.Labels);

        FloatAssert.SameBits<float>(stepped.Network.Parameters, straight.Network.Parameters, "2 + 3 epochs against 5");
        Assert.Equal((3, 1), (stepped.Options.Training.Epochs, stepped.Trainer!.Options.MaxDegreeOfParallelism));
        Assert.Throws<ArgumentOutOfRangeException>(() => stepped.Epochs = 0);
    }

    /// <summary>
    /// A file of the tool before the classifier's own entries existed: the options come from its network, checkpoint
    /// and standardiser, and the classifier trains on from its checkpoint.
    /// </summary>
    [Fact]
    public void A_model_without_classifier_entries_gets_its_options_from_the_network_and_checkpoint()
    {
        Network<float> network = Network<float>.Create(10, seed: 4).Dense(12, Activation.Tanh).Dropout(0.2).Dense(4).Build();
        var trainer = new Trainer<float>(network, new SigmoidCrossEntropy<float>(), new Sgd<float>(0.05, momentum: 0.7), new TrainingOptions { Epochs = 2, BatchSize = 20, Seed = 8 });
        Standardizer<float> standardizer = Standardizer<float>.Fit(s_data.Inputs);
        trainer.Fit(standardizer.Transform(s_data.Inputs), s_data.Targets);
        var model = new SavedModel<float>(network, standardizer) { Checkpoint = trainer.CreateCheckpoint() };
        foreach ((string key, string value) in new[] { ("dataset", "idx"), ("classes", "a\nb\nc\nd"), ("image_shape", "2x5"), ("loss", "sigmoid"), ("output", "logits"), ("input_scaling", "pixel/255") })
        {
            model.Metadata[key] = value;
        }

        string path = Path.Combine(_directory, "old-tool.bpm");
        ModelFile.Save(path, model);
        MlpClassifier<float> loaded = MlpClassifier<float>.Load(path);

        MlpClassifierOptions options = loaded.Options;
        Assert.Equal([12], options.HiddenLayers);
        Assert.Equal((Activation.Tanh, 0.2, OutputLayer.Sigmoid, OptimizerKind.Sgd, 0.05, 0.7, 4, true), (options.HiddenActivation, options.Dropout, options.Output, options.Optimizer, options.LearningRate, options.Momentum, options.ClassCount, options.Standardize));
        Assert.Equal((2, 20, 8UL), (options.Training.Epochs, options.Training.BatchSize, options.Training.Seed));
        Assert.Equal(["a", "b", "c", "d"], loaded.Metadata.ClassNames);
        Assert.Equal(new MlpClassifier<float>(network).Predict(standardizer.Transform(s_data.Inputs)), loaded.Predict(s_data.Inputs));

        trainer.Fit(standardizer.Transform(s_data.Inputs), s_data.Targets);
        loaded.Fit(s_data.Inputs, s_data.Labels);
        FloatAssert.SameBits<float>(loaded.Network.Parameters, network.Parameters, "one more Fit of the trainer and of the loaded classifier");
    }

    [Fact]
    public void A_network_that_ends_in_its_own_softmax_predicts_its_probabilities_and_cannot_train()
    {
        Network<float> network = Network<float>.Create(10, seed: 5).Dense(6, Activation.Relu).Dense(4, Activation.Softmax).Build();
        string path = Path.Combine(_directory, "softmax.bpm");
        ModelFile.Save(path, new SavedModel<float>(network));

        MlpClassifier<float> loaded = MlpClassifier<float>.Load(path);

        Assert.Equal(ClassifierOutput.Probabilities, loaded.Metadata.Output);
        FloatAssert.SameBits<float>(loaded.PredictProba(s_data.Inputs).AsSpan(), network.Predict(s_data.Inputs).AsSpan(), "the network's own probabilities, no second softmax");
        Assert.Throws<InvalidOperationException>(() => loaded.Fit(s_data.Inputs, s_data.Labels));
    }

    [Theory]
    [InlineData("classes", "a\nb", "names 2 classes but its network has 4 outputs")]
    [InlineData("image_shape", "3x3", "image shape 3x3, 9 pixels, but its network takes 10 features")]
    [InlineData("image_shape", "ten", "image shape 'ten'; expected ROWSxCOLUMNS")]
    [InlineData("input_scaling", "pixel/65535", "input_scaling 'pixel/65535'; this library knows none, pixel/255, pixel")]
    [InlineData("output", "scores", "output 'scores'; this library knows logits, probabilities")]
    [InlineData("classifier.hidden_layers", "8,-1", "classifier.hidden_layers '8,-1', which is not a valid value")]
    [InlineData("classifier.learning_rate", "NaN", "options are invalid")]
    [InlineData("classifier.standardize", "true", "Standardize = True but it holds no standardiser")]
    public void Malformed_classifier_entries_are_refused_naming_the_file_and_the_entry(string key, string value, string expected)
    {
        var model = new SavedModel<float>(SyntheticData.Mlp<float>(10, 8, 4, seed: 2));
        model.Metadata[key] = value;
        string path = Path.Combine(_directory, "malformed.bpm");
        ModelFile.Save(path, model);

        var e = Assert.Throws<InvalidDataException>(() => MlpClassifier<float>.Load(path));

        Assert.StartsWith($"The model file '{path}' holds no usable classifier: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unfitted_classifier_cannot_be_saved()
    {
        var classifier = new MlpClassifier<float>();
        Assert.Throws<InvalidOperationException>(() => classifier.Save(Path.Combine(_directory, "nothing.bpm")));
        Assert.False(File.Exists(Path.Combine(_directory, "nothing.bpm")));
    }

    private static MlpClassifierOptions Recipe(int epochs = 2) => new()
    {
        HiddenLayers = [16, 8],
        HiddenActivation = Activation.Tanh,
        Initialization = WeightInitialization.FanInUniform,
        Dropout = 0.1,
        LearningRate = 0.01,
        ClassCount = 4,
        Standardize = true,
        Training = { Epochs = epochs, BatchSize = 16, Seed = 7, L1 = 1e-4, ValidationFraction = 0.25, Schedule = LearningRateSchedule.Step(3, 0.5) },
    };

    private static void AssertSameOptions(MlpClassifierOptions expected, MlpClassifierOptions actual)
    {
        Assert.Equal(expected.HiddenLayers, actual.HiddenLayers);
        Assert.Equal(
            (expected.ClassCount, expected.HiddenActivation, expected.Output, expected.Initialization, expected.Dropout, expected.Optimizer, expected.LearningRate, expected.Momentum, expected.WeightDecay, expected.Standardize),
            (actual.ClassCount, actual.HiddenActivation, actual.Output, actual.Initialization, actual.Dropout, actual.Optimizer, actual.LearningRate, actual.Momentum, actual.WeightDecay, actual.Standardize));
        TrainingOptions e = expected.Training, a = actual.Training;
        Assert.Equal(
            (e.Epochs, e.BatchSize, e.BatchCount, e.Shuffle, e.Seed, e.Shards, e.MaxDegreeOfParallelism, e.Reduction, e.L1, e.L2, e.RegularizeBiases, e.ValidationFraction, e.EarlyStoppingPatience, e.Schedule.Description),
            (a.Epochs, a.BatchSize, a.BatchCount, a.Shuffle, a.Seed, a.Shards, a.MaxDegreeOfParallelism, a.Reduction, a.L1, a.L2, a.RegularizeBiases, a.ValidationFraction, a.EarlyStoppingPatience, a.Schedule.Description));
    }
}
