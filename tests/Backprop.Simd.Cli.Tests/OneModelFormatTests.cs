using System.Text.Json;
using Backprop.Simd.Data;
using Backprop.Simd.Models;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Cli.Tests;

/// <summary>
/// One model format: what the library saves, the tool evaluates, predicts and exports; what the tool trains, the
/// library loads into a classifier that predicts as the tool does and trains on as <c>--resume</c> does.
/// </summary>
public sealed class OneModelFormatTests : IDisposable
{
    private const int TestCount = 150;
    private readonly TemporaryDirectory _directory = new();

    public OneModelFormatTests()
    {
        SyntheticIdx.Write(_directory.Path, trainCount: 600, testCount: TestCount);
        Train = Load("train");
        Test = Load("t10k");
    }

    private Dataset<float> Train { get; }

    private Dataset<float> Test { get; }

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_classifier_saved_from_code_is_evaluated_predicted_and_exported_by_the_tool(bool standardize)
    {
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [16], Standardize = standardize, Training = { Epochs = 3, BatchSize = 16 } });
        classifier.Fit(Train.Features, Train.Labels);
        string path = _directory["library.bpm"];
        classifier.Save(path);

        CliRun eval = await CliRun.RunAsync("eval", "--model", path, "--data", _directory.Path, "--json");
        CliRun predict = await CliRun.RunAsync("predict", "--model", path, "--data", _directory.Path, "--index", "7", "--json");
        CliRun export = await CliRun.RunAsync("export", "--model", path, "--onnx", _directory["library.onnx"]);

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Equal(classifier.Score(Test.Features, Test.Labels), eval.JsonSummary().GetProperty("accuracy").GetDouble());
        Assert.Equal(["0", "1", "2"], eval.JsonSummary().GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.True(predict.ExitCode == 0, predict.ToString());
        AssertProbabilities(classifier, 7, predict.JsonSummary());
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.True(new FileInfo(_directory["library.onnx"]).Length > 0);
    }

    [Fact]
    public async Task A_bare_network_saved_from_code_reads_with_the_default_metadata()
    {
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [16], Training = { Epochs = 3, BatchSize = 16 } });
        classifier.Fit(Train.Features, Train.Labels);
        string path = _directory["bare.bpm"];
        ModelFile.Save(path, new SavedModel<float>(classifier.Network));

        CliRun eval = await CliRun.RunAsync("eval", "--model", path, "--data", _directory.Path);
        CliRun predict = await CliRun.RunAsync("predict", "--model", path, "--data", _directory.Path, "--index", "3", "--json");
        CliRun defaultData = await CliRun.RunAsync("eval", "--model", path);

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Contains($"model: {path} (64 → 3, f32, ? epochs; inputs pixels / 255 (assumed: the model records no input scaling))", eval.OutputLines);
        string accuracy = (classifier.Score(Test.Features, Test.Labels) * 100).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(eval.OutputLines, l => l.StartsWith($"accuracy {accuracy}% ", StringComparison.Ordinal));
        AssertProbabilities(classifier, 3, predict.JsonSummary());

        // No data set recorded: the default (the embedded digits) does not fit, and the message says what to do.
        defaultData.AssertUserError("takes 64 features per sample but the data has 784: it was trained on another kind of data; the model file records no data set, so the default was used: name its data with --dataset or --data.");
    }

    [Fact]
    public async Task A_model_trained_by_the_tool_loads_into_a_classifier_that_predicts_and_trains_on_as_the_tool()
    {
        string path = _directory["tool.bpm"];
        CliRun train = await CliRun.RunAsync("train", "--data", _directory.Path, "--layers", "16", "--batch-size", "16", "--lr", "0.01", "--standardize", "--epochs", "2", "--out", path, "--json");
        Assert.True(train.ExitCode == 0, train.ToString());

        MlpClassifier<float> classifier = MlpClassifier<float>.Load(path);

        Assert.Equal(new ClassifierMetadata(["0", "1", "2"], new ImageShape(8, 8)) { InputScaling = PixelScaling.UnitInterval }, classifier.Metadata);
        Assert.NotNull(classifier.Standardizer);
        MlpClassifierOptions options = classifier.Options;
        Assert.Equal([16], options.HiddenLayers);
        Assert.Equal((true, 3, OptimizerKind.Adam, 0.01, 2, 16), (options.Standardize, options.ClassCount, options.Optimizer, options.LearningRate, options.Training.Epochs, options.Training.BatchSize));
        Assert.Equal([1, 2], classifier.History.Select(e => e.Epoch));

        CliRun eval = await CliRun.RunAsync("eval", "--model", path, "--json");
        CliRun predict = await CliRun.RunAsync("predict", "--model", path, "--index", "11", "--json");
        Assert.Equal(train.JsonSummary().GetProperty("test_accuracy").GetDouble(), classifier.Score(Test.Features, Test.Labels));
        Assert.Equal(eval.JsonSummary().GetProperty("accuracy").GetDouble(), classifier.Score(Test.Features, Test.Labels));
        AssertProbabilities(classifier, 11, predict.JsonSummary());

        // One more epoch from the file: by the library's Fit and by train --resume, bit for bit the same weights.
        classifier.Epochs = 1;
        classifier.Fit(Train.Features, Train.Labels);
        CliRun resumed = await CliRun.RunAsync("train", "--resume", path, "--epochs", "1", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(classifier.Network.Parameters.ToArray(), ModelFile.Load<float>(path).Network.Parameters.ToArray());
        Assert.Equal([1, 2, 3], MlpClassifier<float>.Load(path).History.Select(e => e.Epoch));
    }

    /// <summary>The tool's probabilities for a test sample are the classifier's (to float rounding: one row goes through another GEMM path than a batch), and name the same class.</summary>
    private void AssertProbabilities(MlpClassifier<float> classifier, int index, JsonElement summary)
    {
        float[] expected = new float[3];
        classifier.PredictProba(Test.Features.Row(index), expected);
        double[] actual = [.. summary.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble())];
        Assert.Equal(3, actual.Length);
        for (int c = 0; c < 3; c++)
        {
            Assert.True(Math.Abs(expected[c] - actual[c]) <= 1e-6, $"class {c}: the classifier gives {expected[c]}, the tool {actual[c]}");
        }

        Assert.Equal(classifier.Predict(Test.Features.Row(index)), summary.GetProperty("predicted").GetInt32());
    }

    private Dataset<float> Load(string prefix) => Dataset<float>.LoadIdx(
        _directory[$"{prefix}-images-idx3-ubyte.gz"],
        _directory[$"{prefix}-labels-idx1-ubyte.gz"],
        SyntheticIdx.Classes);
}
