using System.Text.Json;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Cli.Tests;

public sealed class TrainCommandTests
{
    /// <summary>The command line scripts depend on, verbatim, on a directory of IDX files.</summary>
    private static string[] ScriptedCommand(string directory, int threads) =>
        ["train", "--data", directory, "--layers", "256,128", "--activation", "relu", "--optimizer", "sgd", "--momentum", "0.9", "--lr", "0.05", "--batch-size", "128", "--epochs", "4", "--seed", "42", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json"];

    [Fact]
    public async Task Json_prints_one_object_per_epoch_with_loss_seconds_and_test_accuracy()
    {
        using var directory = new TemporaryDirectory();
        SyntheticIdx.Write(directory.Path, trainCount: 600, testCount: 150);

        CliRun run = await CliRun.RunAsync(ScriptedCommand(directory.Path, threads: 2));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Error);
        JsonElement[] epochs = run.JsonLines("epoch");
        Assert.Equal(4, epochs.Length);
        for (int i = 0; i < epochs.Length; i++)
        {
            Assert.Equal(i + 1, epochs[i].GetProperty("epoch").GetInt32());
            double loss = epochs[i].GetProperty("loss").GetDouble();
            Assert.True(double.IsFinite(loss) && loss > 0, $"epoch {i + 1}: loss {loss}");
            Assert.True(epochs[i].GetProperty("seconds").GetDouble() >= 0);
            double accuracy = epochs[i].GetProperty("test_accuracy").GetDouble();
            Assert.InRange(accuracy, 0, 1);
            Assert.False(epochs[i].TryGetProperty("validation_loss", out _), "no validation set was asked for");
        }

        // The bars are easy to tell apart: training must have learnt them (chance is 1/3).
        Assert.True(epochs[^1].GetProperty("loss").GetDouble() < epochs[0].GetProperty("loss").GetDouble(), run.Output);
        Assert.True(epochs[^1].GetProperty("test_accuracy").GetDouble() > 0.9, run.Output);

        // Then one summary object, and nothing else.
        JsonElement summary = run.JsonSummary();
        Assert.Equal(5, run.JsonLines().Length);
        Assert.Equal(4, summary.GetProperty("epochs").GetInt32());
        Assert.Equal(4, summary.GetProperty("epochs_run").GetInt32());
        Assert.Equal(epochs[^1].GetProperty("loss").GetDouble(), summary.GetProperty("loss").GetDouble());
        Assert.Equal(epochs[^1].GetProperty("test_accuracy").GetDouble(), summary.GetProperty("test_accuracy").GetDouble());
        Assert.Equal(150, summary.GetProperty("test_samples").GetInt32());
        Assert.Equal(epochs.Sum(e => e.GetProperty("seconds").GetDouble()), summary.GetProperty("seconds").GetDouble(), 1e-9);
        Assert.False(summary.GetProperty("stopped_early").GetBoolean());
        Assert.False(summary.GetProperty("cancelled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("model").ValueKind);
        Assert.False(summary.TryGetProperty("validation_loss", out _));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_losses_on_one_thread_and_on_two()
    {
        using var directory = new TemporaryDirectory();
        SyntheticIdx.Write(directory.Path, trainCount: 300, testCount: 60);

        CliRun one = await CliRun.RunAsync(ScriptedCommand(directory.Path, threads: 1));
        CliRun two = await CliRun.RunAsync(ScriptedCommand(directory.Path, threads: 2));

        Assert.Equal(0, one.ExitCode);
        Assert.Equal(0, two.ExitCode);
        double[] Losses(CliRun run) => [.. run.JsonLines("epoch").Select(e => e.GetProperty("loss").GetDouble())];
        Assert.Equal(Losses(one), Losses(two));
    }

    /// <summary>--shards reaches the trainer: the same shard count gives the same losses on 1 and 2 threads, another one other losses.</summary>
    [Fact]
    public async Task Shards_change_the_losses_but_threads_do_not()
    {
        using var directory = new TemporaryDirectory();
        SyntheticIdx.Write(directory.Path, trainCount: 300, testCount: 60);

        CliRun four = await CliRun.RunAsync([.. ScriptedCommand(directory.Path, threads: 1), "--shards", "4"]);
        CliRun fourOnTwo = await CliRun.RunAsync([.. ScriptedCommand(directory.Path, threads: 2), "--shards", "4"]);
        CliRun two = await CliRun.RunAsync(ScriptedCommand(directory.Path, threads: 1));

        Assert.True(four.ExitCode == 0 && fourOnTwo.ExitCode == 0 && two.ExitCode == 0, four + "\n" + fourOnTwo + "\n" + two);
        double[] Losses(CliRun run) => [.. run.JsonLines("epoch").Select(e => e.GetProperty("loss").GetDouble())];
        Assert.Equal(Losses(four), Losses(fourOnTwo));
        Assert.NotEqual(Losses(four), Losses(two));
    }

    /// <summary>--init reaches the layers: each choice starts (and so trains) elsewhere, and each still learns the bars.</summary>
    [Fact]
    public async Task Init_chooses_how_every_layer_starts()
    {
        using var directory = new TemporaryDirectory();
        SyntheticIdx.Write(directory.Path, trainCount: 300, testCount: 60);

        string[] choices = ["auto", "he", "glorot", "fan-in", "unit"];
        var runs = new CliRun[choices.Length];
        for (int i = 0; i < choices.Length; i++)
        {
            runs[i] = await CliRun.RunAsync([.. ScriptedCommand(directory.Path, threads: 1), "--init", choices[i]]);
        }

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.ToString()));
        double[][] losses = [.. runs.Select(run => run.JsonLines("epoch").Select(e => e.GetProperty("loss").GetDouble()).ToArray())];
        for (int i = 0; i < choices.Length; i++)
        {
            for (int j = i + 1; j < choices.Length; j++)
            {
                Assert.False(losses[i].SequenceEqual(losses[j]), $"--init {choices[i]} and --init {choices[j]} trained the same losses.");
            }
        }

        Assert.True(runs[3].JsonLines("epoch")[^1].GetProperty("test_accuracy").GetDouble() > 0.9, runs[3].Output);
    }

    /// <summary>--activation gelu and silu train hidden layers of those kinds, saved as such, and the model exports to ONNX.</summary>
    [Theory]
    [InlineData("gelu", "GELU(16)")]
    [InlineData("silu", "SiLU(16)")]
    public async Task Gelu_and_silu_train_save_and_export(string activation, string layer)
    {
        using var directory = new TemporaryDirectory();
        SyntheticIdx.Write(directory.Path, trainCount: 300, testCount: 60);
        string model = directory["model.bpm"];

        CliRun train = await CliRun.RunAsync("train", "--data", directory.Path, "--layers", "16", "--activation", activation, "--epochs", "3", "--seed", "5", "--json", "--out", model);

        Assert.True(train.ExitCode == 0, train.ToString());
        double[] losses = [.. train.JsonLines("epoch").Select(e => e.GetProperty("loss").GetDouble())];
        Assert.True(losses[^1] < losses[0], train.Output);
        Assert.Contains(layer, ModelFile.ReadInfo(model).LayerDescriptions);
        CliRun export = await CliRun.RunAsync("export", "--model", model, "--onnx", directory["model.onnx"]);
        Assert.True(export.ExitCode == 0, export.ToString());
    }

    [Fact]
    public async Task A_model_has_an_output_for_every_class_of_its_data_set_even_if_training_saw_fewer()
    {
        // One training digit has one label, but mnist10k has ten classes: the model must still eval its test set.
        using var directory = new TemporaryDirectory();
        string model = directory["one.bpm"];
        CliRun train = await CliRun.RunAsync("train", "--limit", "1", "--layers", "8", "--epochs", "1", "--out", model);
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Equal(10, ModelFile.ReadInfo(model).OutputSize);

        CliRun eval = await CliRun.RunAsync("eval", "--model", model, "--json");
        Assert.True(eval.ExitCode == 0, eval.ToString());
    }

    [Fact]
    public async Task A_batch_size_beyond_the_samples_trains_them_in_one_batch()
    {
        // A size near int.MaxValue once overflowed to no batches at all: loss NaN, nothing trained, exit 0.
        string[] common = ["train", "--limit", "200", "--layers", "8", "--epochs", "2", "--json", "--batch-size"];
        CliRun huge = await CliRun.RunAsync([.. common, "2147483647"]);
        CliRun exact = await CliRun.RunAsync([.. common, "200"]);

        Assert.True(huge.ExitCode == 0 && exact.ExitCode == 0, huge + "\n" + exact);
        double[] Losses(CliRun run) => [.. run.JsonLines("epoch").Select(e => e.GetProperty("loss").GetDouble())];
        Assert.All(Losses(huge), loss => Assert.True(double.IsFinite(loss)));
        Assert.Equal(Losses(exact), Losses(huge));
    }

    [Fact]
    public async Task A_validation_fraction_adds_validation_metrics_and_early_stopping_keeps_the_best_epoch()
    {
        using var directory = new TemporaryDirectory();
        SyntheticIdx.Write(directory.Path, trainCount: 300, testCount: 0);

        CliRun run = await CliRun.RunAsync("train", "--data", directory.Path, "--layers", "8", "--epochs", "3", "--validation-fraction", "0.2", "--early-stopping", "5", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement[] epochs = run.JsonLines("epoch");
        Assert.Equal(3, epochs.Length);
        foreach (JsonElement epoch in epochs)
        {
            Assert.InRange(epoch.GetProperty("validation_accuracy").GetDouble(), 0, 1);
            Assert.True(epoch.GetProperty("validation_loss").GetDouble() > 0);
            Assert.False(epoch.TryGetProperty("test_accuracy", out _), "the directory has no t10k files");
        }

        JsonElement summary = run.JsonSummary();
        Assert.Equal(epochs[^1].GetProperty("validation_accuracy").GetDouble(), summary.GetProperty("validation_accuracy").GetDouble());
        Assert.InRange(summary.GetProperty("best_epoch").GetInt32(), 1, 3);
        Assert.False(summary.TryGetProperty("test_accuracy", out _));
    }

    [Fact]
    public async Task Without_json_the_redirected_output_is_plain_lines_per_epoch_and_a_summary()
    {
        CliRun run = await CliRun.RunAsync("train", "--limit", "600", "--layers", "32", "--epochs", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.OutputLines;
        Assert.Contains(lines, l => l.StartsWith("data: mnist10k", StringComparison.Ordinal) && l.Contains("600 training and 500 test samples", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("network: 784-32-10 f32, relu hidden, softmax output; adam", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("epoch 1/2  loss ", StringComparison.Ordinal) && l.Contains("test accuracy", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("epoch 2/2  loss ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("test accuracy ", StringComparison.Ordinal) && l.Contains("on 500 samples after 2 epochs", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', run.Output);
    }
}
