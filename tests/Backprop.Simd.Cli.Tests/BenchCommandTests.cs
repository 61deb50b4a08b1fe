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
        JsonElement[] lines = run.JsonLines();
        Assert.Equal(["gemm", "gemm", "train_epoch"], lines.Select(l => l.GetProperty("benchmark").GetString()));
        Assert.Equal([32, 48], lines[..2].Select(l => l.GetProperty("size").GetInt32()));
        Assert.All(lines[..2], l => Assert.True(l.GetProperty("gflops").GetDouble() > 0));
        Assert.All(lines, l => Assert.Equal(1, l.GetProperty("threads").GetInt32()));
        Assert.Equal("784-256-128-10", lines[2].GetProperty("network").GetString());
        Assert.Equal(200, lines[2].GetProperty("samples").GetInt32());
        Assert.True(lines[2].GetProperty("samples_per_second").GetDouble() > 0);
    }
}
