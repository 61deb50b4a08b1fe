using System.Text.Json;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Cli.Tests;

/// <summary>
/// <c>train --resume</c> continues the run the model file records: the same validation split and early stopping,
/// and no silent change of the architecture or recipe; only --lr may change (a warm start, as the notebook does).
/// </summary>
public sealed class ResumeCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public ResumeCommandTests()
    {
        SyntheticIdx.Write(_directory.Path, trainCount: 400, testCount: 100);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_resumed_run_holds_out_the_same_validation_rows()
    {
        CliRun straight = await Train("--epochs", "4", "--validation-fraction", "0.25", "--early-stopping", "10", "--json");
        string model = _directory["split.bpm"];
        CliRun first = await Train("--epochs", "2", "--validation-fraction", "0.25", "--early-stopping", "10", "--out", model, "--json");
        CliRun resumed = await CliRun.RunAsync("train", "--resume", model, "--epochs", "2", "--json");

        Assert.True(straight.ExitCode == 0 && first.ExitCode == 0 && resumed.ExitCode == 0, $"{straight}\n{first}\n{resumed}");
        JsonElement[] continued = [.. first.JsonLines("epoch"), .. resumed.JsonLines("epoch")];
        Assert.All(continued, e => Assert.True(e.GetProperty("validation_loss").GetDouble() > 0));
        Assert.Equal(Metric(straight.JsonLines("epoch"), "loss"), Metric(continued, "loss"));
        Assert.Equal(Metric(straight.JsonLines("epoch"), "validation_loss"), Metric(continued, "validation_loss"));
    }

    [Theory]
    [InlineData(new[] { "--layers", "32" }, "--layers cannot change on --resume")]
    [InlineData(new[] { "--optimizer", "sgd", "--dtype", "f64" }, "--optimizer, --dtype cannot change on --resume")]
    [InlineData(new[] { "--init", "he" }, "--init cannot change on --resume")]
    [InlineData(new[] { "--standardize" }, "--standardize cannot change on --resume")]
    [InlineData(new[] { "--shards", "4", "--seed", "42" }, "--shards cannot change on --resume")]
    [InlineData(new[] { "--validation-fraction", "0.5" }, "--validation-fraction 0.5 cannot change on --resume: 'MODEL' was trained with --validation-fraction 0, which a resumed run keeps.")]
    public async Task Options_that_would_change_the_run_are_rejected(string[] options, string expected)
    {
        string model = _directory["model.bpm"];
        Assert.Equal(0, (await Train("--epochs", "1", "--out", model)).ExitCode);
        byte[] before = await File.ReadAllBytesAsync(model);

        CliRun run = await CliRun.RunAsync(["train", "--resume", model, "--epochs", "1", .. options]);

        run.AssertUserError(expected.Replace("MODEL", model, StringComparison.Ordinal));
        Assert.Equal(before, await File.ReadAllBytesAsync(model));
    }

    [Fact]
    public async Task The_first_command_line_with_resume_added_is_accepted()
    {
        // Re-giving the file's own values changes nothing, so it is no error: each option alone too.
        string[] recipe = ["--layers", "16", "--batch-size", "16", "--seed", "42", "--dtype", "f32", "--optimizer", "adam", "--activation", "relu", "--validation-fraction", "0.25", "--early-stopping", "3"];
        string model = _directory["same.bpm"];
        Assert.Equal(0, (await CliRun.RunAsync(["train", "--data", _directory.Path, "--epochs", "1", "--out", model, .. recipe])).ExitCode);

        CliRun all = await CliRun.RunAsync(["train", "--data", _directory.Path, "--epochs", "1", "--resume", model, "--json", .. recipe]);
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.True(Assert.Single(all.JsonLines("epoch")).GetProperty("validation_loss").GetDouble() > 0);
        CliRun patience = await CliRun.RunAsync("train", "--resume", model, "--epochs", "1", "--early-stopping", "3");
        Assert.True(patience.ExitCode == 0, patience.ToString());
        CliRun fraction = await CliRun.RunAsync("train", "--resume", model, "--epochs", "1", "--validation-fraction", "0.25");
        Assert.True(fraction.ExitCode == 0, fraction.ToString());
    }

    [Fact]
    public async Task A_learning_rate_given_on_resume_becomes_the_new_base_rate()
    {
        string model = _directory["model.bpm"];
        Assert.Equal(0, (await Train("--epochs", "1", "--out", model)).ExitCode);

        CliRun resumed = await CliRun.RunAsync("train", "--resume", model, "--epochs", "2", "--lr", "0.005", "--json");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal([0.005, 0.005], Metric(resumed.JsonLines("epoch"), "learning_rate"));
        Assert.Equal(3, ModelFile.ReadInfo(model).EpochsCompleted);
        Assert.Contains("lr 0.005", ModelFile.ReadInfo(model).OptimizerDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rmsprop_with_momentum_trains_and_resumes_as_if_it_had_not_stopped()
    {
        string[] recipe = ["--optimizer", "rmsprop", "--momentum", "0.5"];
        CliRun straight = await Train([.. recipe, "--epochs", "4", "--json"]);
        string model = _directory["rmsprop.bpm"];
        CliRun first = await Train([.. recipe, "--epochs", "2", "--out", model, "--json"]);
        CliRun resumed = await CliRun.RunAsync(["train", "--resume", model, "--epochs", "2", "--json", .. recipe]);

        Assert.True(straight.ExitCode == 0 && first.ExitCode == 0 && resumed.ExitCode == 0, $"{straight}\n{first}\n{resumed}");
        double[] losses = Metric(straight.JsonLines("epoch"), "loss");
        Assert.True(losses[^1] < losses[0] / 2, string.Join(", ", losses));
        Assert.Equal(losses, Metric([.. first.JsonLines("epoch"), .. resumed.JsonLines("epoch")], "loss"));
        Assert.Equal("RMSProp(lr 0.01, α 0.99, ε 1E-08, momentum 0.5)", ModelFile.ReadInfo(model).OptimizerDescription);

        byte[] before = await File.ReadAllBytesAsync(model);
        (await CliRun.RunAsync("train", "--resume", model, "--epochs", "1", "--momentum", "0.9")).AssertUserError("--momentum cannot change on --resume");
        (await CliRun.RunAsync("train", "--resume", model, "--epochs", "1", "--optimizer", "adam")).AssertUserError("--optimizer cannot change on --resume");
        Assert.Equal(before, await File.ReadAllBytesAsync(model));
    }

    private static double[] Metric(IEnumerable<JsonElement> epochs, string name) => [.. epochs.Select(e => e.GetProperty(name).GetDouble())];

    private Task<CliRun> Train(params string[] options) =>
        CliRun.RunAsync(["train", "--data", _directory.Path, "--layers", "16", "--batch-size", "16", "--lr", "0.01", .. options]);
}
