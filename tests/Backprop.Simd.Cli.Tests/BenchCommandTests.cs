using System.Text.Json;

namespace Backprop.Simd.Cli.Tests;

/// <summary>Runs the benchmark at toy sizes for its output format only; the numbers it measures are not asserted beyond being positive.</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Json_reports_gemm_and_a_training_epoch()
    {
        CliRun run = await CliRun.RunAsync("bench", "--sizes", "32,48", "--samples", "200", "--threads", "1", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement[] lines = run.JsonLines("measurement");
        Assert.Equal(["gemm", "gemm", "train_epoch"], lines.Select(l => l.GetProperty("benchmark").GetString()));
        Assert.Equal([32, 48], lines[..2].Select(l => l.GetProperty("size").GetInt32()));
        Assert.All(lines[..2], l => Assert.True(l.GetProperty("gflops").GetDouble() > 0));
        Assert.All(lines, l => Assert.Equal(1, l.GetProperty("threads").GetInt32()));
        Assert.Equal("784-256-128-10", lines[2].GetProperty("network").GetString());
        Assert.Equal(200, lines[2].GetProperty("samples").GetInt32());
        Assert.True(lines[2].GetProperty("samples_per_second").GetDouble() > 0);

        JsonElement summary = run.JsonSummary();
        Assert.Equal(4, run.JsonLines().Length);
        Assert.Equal(lines.Take(2).Max(l => l.GetProperty("gflops").GetDouble()), summary.GetProperty("best_gflops").GetDouble());
        Assert.Equal(lines[2].GetProperty("samples_per_second").GetDouble(), summary.GetProperty("samples_per_second").GetDouble());
        Assert.Equal(lines[0].GetProperty("kernel").GetString(), summary.GetProperty("kernel").GetString());
    }

    [Fact]
    public async Task More_threads_than_processors_report_the_threads_that_ran_and_small_times_in_microseconds()
    {
        CliRun run = await CliRun.RunAsync("bench", "--sizes", "16", "--samples", "64", "--threads", "100000");

        Assert.True(run.ExitCode == 0, run.ToString());
        string gemm = Assert.Single(run.OutputLines, l => l.Contains("16x16x16", StringComparison.Ordinal));
        string[] cells = gemm.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), cells[2]);
        Assert.EndsWith(" µs", cells[3], StringComparison.Ordinal);
        Assert.NotEqual("0.0 µs", cells[3]);
    }
}
