using System.Text.Json;

namespace Backprop.Simd.Cli.Tests;

public sealed class GradCheckCommandTests
{
    [Fact]
    public async Task The_default_network_passes_with_a_row_per_tensor()
    {
        CliRun run = await CliRun.RunAsync("gradcheck");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(7, run.OutputLines.Count(l => l.TrimEnd('│', ' ').EndsWith("pass", StringComparison.Ordinal)));
        Assert.Contains(run.OutputLines, l => l.StartsWith("passed: largest relative error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_network_without_hidden_layers_is_described_as_such()
    {
        CliRun run = await CliRun.RunAsync("gradcheck", "--layers", "none");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("gradient check in double: 6-3 (no hidden layer), softmax-cross-entropy", run.OutputLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_reports_every_tensor_with_its_errors()
    {
        CliRun run = await CliRun.RunAsync("gradcheck", "--layers", "4", "--activation", "sigmoid", "--loss", "mse", "--l2", "0.1", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement[] tensors = run.JsonLines("tensor");
        Assert.Equal(["layer 0 weights", "layer 0 bias", "layer 2 weights", "layer 2 bias", "input"], tensors.Select(t => t.GetProperty("tensor").GetString()));
        Assert.All(tensors, t =>
        {
            Assert.True(t.GetProperty("passed").GetBoolean());
            Assert.InRange(t.GetProperty("max_relative_error").GetDouble(), 0, 1e-6);
            Assert.True(t.GetProperty("elements").GetInt32() > 0);
        });
        JsonElement summary = run.JsonSummary();
        Assert.Equal(6, run.JsonLines().Length);
        Assert.True(summary.GetProperty("passed").GetBoolean());
        Assert.Equal("6-4-3", summary.GetProperty("network").GetString());
        Assert.Equal(tensors.Max(t => t.GetProperty("max_relative_error").GetDouble()), summary.GetProperty("max_relative_error").GetDouble());
    }

    [Fact]
    public async Task A_tolerance_no_finite_difference_can_meet_fails_with_exit_code_1()
    {
        CliRun run = await CliRun.RunAsync("gradcheck", "--tolerance", "1e-300");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains(run.OutputLines, l => l.StartsWith("FAILED: largest relative error", StringComparison.Ordinal));
    }
}
