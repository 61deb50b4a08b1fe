using System.Text.Json;
using Backprop.Simd.Cli.Models;
using Backprop.Simd.Data;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Serialization;
using SkiaSharp;

namespace Backprop.Simd.Cli.Tests;

/// <summary>train --out, eval, predict and --resume on small synthetic IDX data sets.</summary>
public sealed class ModelCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public ModelCommandTests()
    {
        SyntheticIdx.Write(_directory.Path, trainCount: 600, testCount: 150);
        Model = _directory["model.bpm"];
    }

    private string Model { get; }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Eval_of_a_saved_model_reproduces_the_test_accuracy_train_reported()
    {
        CliRun train = await Train("--epochs", "3", "--standardize", "--out", Model, "--json");
        Assert.True(train.ExitCode == 0, train.ToString());
        double reported = train.JsonSummary().GetProperty("test_accuracy").GetDouble();

        CliRun eval = await CliRun.RunAsync("eval", "--model", Model, "--json");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        JsonElement result = Assert.Single(eval.JsonLines());
        Assert.Equal(reported, result.GetProperty("accuracy").GetDouble());
        Assert.Equal(150, result.GetProperty("samples").GetInt32());
        int[][] confusion = [.. result.GetProperty("confusion").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray())];
        Assert.Equal(150, confusion.Sum(row => row.Sum()));
        Assert.Equal(reported, (double)Enumerable.Range(0, 3).Sum(c => confusion[c][c]) / 150);
        Assert.Equal(["0", "1", "2"], result.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("summary", result.GetProperty("type").GetString());

        // The per-class figures and their averages follow from the confusion matrix (the library's report).
        JsonElement[] classes = [.. result.GetProperty("classes").EnumerateArray()];
        double macroF1 = 0;
        for (int c = 0; c < 3; c++)
        {
            int predictedAs = confusion.Sum(row => row[c]), support = confusion[c].Sum();
            Assert.Equal(support, classes[c].GetProperty("support").GetInt32());
            Assert.Equal(predictedAs == 0 ? 0 : (double)confusion[c][c] / predictedAs, classes[c].GetProperty("precision").GetDouble(), 1e-12);
            Assert.Equal((double)confusion[c][c] / support, classes[c].GetProperty("recall").GetDouble(), 1e-12);
            Assert.Equal(2.0 * confusion[c][c] / (support + predictedAs), classes[c].GetProperty("f1").GetDouble(), 1e-12);
            macroF1 += classes[c].GetProperty("f1").GetDouble() / 3;
        }

        Assert.Equal(macroF1, result.GetProperty("macro_avg").GetProperty("f1").GetDouble(), 1e-12);
        Assert.Equal(reported, result.GetProperty("weighted_avg").GetProperty("recall").GetDouble(), 1e-12);
    }

    [Fact]
    public async Task Eval_prints_the_confusion_matrix_and_per_class_precision_recall_and_f1_with_averages()
    {
        Assert.Equal(0, (await Train("--epochs", "2", "--out", Model)).ExitCode);

        CliRun eval = await CliRun.RunAsync("eval", "--model", Model);

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Contains(eval.OutputLines, l => l.StartsWith("accuracy ", StringComparison.Ordinal) && l.EndsWith(" of 150)", StringComparison.Ordinal));
        Assert.Contains(eval.OutputLines, l => l.StartsWith("│ true \\ predicted │ 0", StringComparison.Ordinal));
        string[] Cells(string line) => line.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(eval.OutputLines, l => Cells(l).SequenceEqual(["class", "precision", "recall", "F1", "support"]));
        Assert.Contains(eval.OutputLines, l => l.StartsWith("│ macro average ", StringComparison.Ordinal) && Cells(l)[^1] == "150");
        Assert.Contains(eval.OutputLines, l => l.StartsWith("│ weighted average ", StringComparison.Ordinal) && Cells(l)[^1] == "150");
    }

    [Fact]
    public async Task Predict_gives_softmax_probabilities_of_a_test_sample()
    {
        Assert.Equal(0, (await Train("--epochs", "3", "--out", Model)).ExitCode);

        CliRun run = await CliRun.RunAsync("predict", "--model", Model, "--index", "5", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement result = Assert.Single(run.JsonLines());
        double[] probabilities = [.. result.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble())];
        Assert.Equal(3, probabilities.Length);
        Assert.All(probabilities, p => Assert.InRange(p, 0, 1));
        Assert.Equal(1, probabilities.Sum(), 5);
        Assert.Equal(Array.IndexOf(probabilities, probabilities.Max()), result.GetProperty("predicted").GetInt32());
        Assert.InRange(result.GetProperty("label").GetInt32(), 0, 2);
    }

    [Fact]
    public async Task Predict_reads_a_png_of_dark_ink_on_white_paper_like_the_training_images()
    {
        Assert.Equal(0, (await Train("--epochs", "4", "--out", Model)).ExitCode);
        string picture = WriteBarPicture();

        CliRun run = await CliRun.RunAsync("predict", "--model", Model, "--image", picture, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement result = Assert.Single(run.JsonLines());
        Assert.Equal(1, result.GetProperty("predicted").GetInt32());
        Assert.Contains("inverted", result.GetProperty("input").GetString(), StringComparison.Ordinal);
        Assert.False(result.TryGetProperty("label", out _));
    }

    [Fact]
    public async Task Resuming_a_checkpoint_continues_exactly_where_training_stopped()
    {
        CliRun straight = await Train("--epochs", "4", "--json");
        string checkpoints = _directory["checkpoints.bpm"];
        CliRun first = await Train("--epochs", "2", "--out", checkpoints, "--checkpoint-every", "1", "--json");
        CliRun resumed = await CliRun.RunAsync("train", "--resume", checkpoints, "--epochs", "2", "--json");

        Assert.True(first.ExitCode == 0 && resumed.ExitCode == 0, first + "\n" + resumed);
        Assert.Equal([3, 4], resumed.JsonLines("epoch").Select(e => e.GetProperty("epoch").GetInt32()));
        double[] Losses(CliRun run) => [.. run.JsonLines("epoch").Select(e => e.GetProperty("loss").GetDouble())];
        double[] continued = [.. Losses(first), .. Losses(resumed)];
        Assert.Equal(Losses(straight), continued);
        Assert.Equal(4, ModelFile.ReadInfo(checkpoints).EpochsCompleted);
    }

    [Fact]
    public async Task Ctrl_c_stops_after_a_minibatch_and_saves_a_checkpoint_to_resume_from()
    {
        using var cancellation = new CancellationTokenSource();
        using var output = new CancellingWriter(cancellation, "\"epoch\":1,");
        using var error = new StringWriter();

        int code = await Program.RunAsync(
            ["train", "--data", _directory.Path, "--layers", "16", "--batch-size", "16", "--epochs", "50", "--out", Model, "--json"],
            output,
            error,
            cancellation.Token);

        Assert.True(code == ExitCodes.Cancelled, $"exit {code}: {error}");
        string line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("backprop: stopped by Ctrl+C after 1 epoch (and part of the next)", line, StringComparison.Ordinal);
        Assert.Equal(1, ModelFile.ReadInfo(Model).EpochsCompleted);

        CliRun resumed = await CliRun.RunAsync("train", "--resume", Model, "--epochs", "1", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(2, Assert.Single(resumed.JsonLines("epoch")).GetProperty("epoch").GetInt32());
    }

    [Fact]
    public async Task A_model_of_another_shape_is_a_user_error()
    {
        Assert.Equal(0, (await Train("--epochs", "1", "--out", Model)).ExitCode);

        CliRun run = await CliRun.RunAsync("eval", "--model", Model, "--dataset", "mnist10k");

        run.AssertUserError("takes 64 features per sample but the data has 784");
    }

    [Fact]
    public async Task A_truncated_model_file_is_malformed_data_with_its_offset()
    {
        Assert.Equal(0, (await Train("--epochs", "1", "--out", Model)).ExitCode);
        byte[] bytes = File.ReadAllBytes(Model);
        File.WriteAllBytes(Model, bytes[..100]);

        CliRun run = await CliRun.RunAsync("eval", "--model", Model);

        run.AssertUserError("at offset 100: the file is truncated");
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("predict", "--index", "0")]
    public async Task A_test_set_of_no_images_is_a_user_error(params string[] command)
    {
        Assert.Equal(0, (await Train("--epochs", "1", "--out", Model)).ExitCode);
        string empty = Directory.CreateDirectory(_directory["empty-test"]).FullName;
        IdxWriter.Write(Path.Combine(empty, "train-images-idx3-ubyte"), new IdxArray([2, SyntheticIdx.Side, SyntheticIdx.Side], new byte[2 * SyntheticIdx.Side * SyntheticIdx.Side]));
        IdxWriter.Write(Path.Combine(empty, "train-labels-idx1-ubyte"), new IdxArray([2], [0, 2]));
        IdxWriter.Write(Path.Combine(empty, "t10k-images-idx3-ubyte"), new IdxArray([0, SyntheticIdx.Side, SyntheticIdx.Side], []));
        IdxWriter.Write(Path.Combine(empty, "t10k-labels-idx1-ubyte"), new IdxArray([0], []));

        CliRun run = await CliRun.RunAsync([.. command, "--model", Model, "--data", empty]);

        run.AssertUserError($"The test set of IDX files in {empty} has no samples.");
    }

    [Theory]
    [InlineData(new[] { "predict", "--model", "MODEL" }, "predict needs exactly one of --index N")]
    [InlineData(new[] { "predict", "--model", "MODEL", "--index", "150" }, "--index 150 is outside the test set of 150 samples (0 to 149)")]
    [InlineData(new[] { "predict", "--model", "MODEL", "--image", "/nonexistent/digit.png" }, "The image '/nonexistent/digit.png' does not exist.")]
    [InlineData(new[] { "predict", "--model", "MODEL", "--image", "DIRECTORY" }, "The image 'DIRECTORY' is a directory, not a file.")]
    [InlineData(new[] { "eval", "--model", "/nonexistent/model.bpm" }, "The model file '/nonexistent/model.bpm' does not exist.")]
    [InlineData(new[] { "eval", "--model", "DIRECTORY" }, "The model file 'DIRECTORY' is a directory, not a file.")]
    [InlineData(new[] { "eval" }, "Option '--model' is required.")]
    [InlineData(new[] { "train", "--out", "/nonexistent/dir/model.bpm" }, "The directory of --out '/nonexistent/dir/model.bpm' does not exist.")]
    [InlineData(new[] { "train", "--checkpoint-every", "1" }, "--checkpoint-every needs --out PATH")]
    public async Task Model_command_mistakes_are_user_errors(string[] args, string expected)
    {
        Assert.Equal(0, (await Train("--epochs", "1", "--out", Model)).ExitCode);

        CliRun run = await CliRun.RunAsync([.. args.Select(a => a == "MODEL" ? Model : a.Replace("DIRECTORY", _directory.Path, StringComparison.Ordinal))]);

        run.AssertUserError(expected.Replace("DIRECTORY", _directory.Path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("f32", "eval", "--json")]
    [InlineData("f32", "eval")]
    [InlineData("f64", "eval", "--json")]
    [InlineData("f32", "predict", "--index", "0")]
    [InlineData("f32", "predict", "--index", "0", "--json")]
    [InlineData("f64", "predict", "--index", "0", "--json")]
    [InlineData("f32", "predict", "--image", "PICTURE")]
    public async Task A_model_whose_outputs_overflow_is_a_user_error_naming_the_sample(string dtype, params string[] command)
    {
        // Weights near the element type's largest value: finite, so the file is valid, but every sum overflows.
        if (dtype == "f64")
        {
            SaveHugeModel(double.MaxValue / 2);
        }
        else
        {
            SaveHugeModel(3e38f);
        }

        string picture = WriteBarPicture();

        CliRun run = await CliRun.RunAsync([.. command.Select(a => a == "PICTURE" ? picture : a), "--model", Model]);

        string sample = command.Contains("--image") ? $"the image '{picture}'" : "test sample 0";
        run.AssertUserError($"The model '{Model}' gives a non-finite output (NaN or infinity) for {sample}: its weights are probably too large for {dtype}, so the sums overflow.");
        Assert.Empty(run.Output);
    }

    private void SaveHugeModel<T>(T weight)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Network<T> network = Network<T>.Create(SyntheticIdx.Side * SyntheticIdx.Side).Dense(SyntheticIdx.Classes).Build();
        network.Parameters.Fill(weight);
        var model = new SavedModel<T>(network);
        var classifier = new ClassifierMetadata(["0", "1", "2"], new ImageShape(SyntheticIdx.Side, SyntheticIdx.Side)) { InputScaling = PixelScaling.UnitInterval };
        new ModelMetadata(classifier, "idx", _directory.Path, 0).WriteTo(model);
        ModelFile.Save(Model, model);
    }

    /// <summary>A dark bar across rows 24-39 of a 64x64 white picture: rows 3-4 of the 8x8 images, where class 1 has its bar.</summary>
    private string WriteBarPicture()
    {
        string picture = _directory["bar.png"];
        TestPictures.WriteInkOnPaper(picture, 64, new SKRect(0, 24, 64, 40));
        return picture;
    }

    private Task<CliRun> Train(params string[] options) =>
        CliRun.RunAsync(["train", "--data", _directory.Path, "--layers", "16", "--batch-size", "16", "--lr", "0.01", .. options]);

    /// <summary>Cancels, as Ctrl+C does, once a line containing <c>trigger</c> has been written.</summary>
    private sealed class CancellingWriter(CancellationTokenSource cancellation, string trigger) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(trigger, StringComparison.Ordinal) == true)
            {
                cancellation.Cancel();
            }
        }
    }
}
