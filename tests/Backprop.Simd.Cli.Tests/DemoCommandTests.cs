using System.Buffers.Binary;

namespace Backprop.Simd.Cli.Tests;

public sealed class DemoCommandTests
{
    private static readonly byte[] s_pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task Quick_demo_writes_five_pngs_and_the_accuracy_table_beside_the_notebook()
    {
        using var directory = new TemporaryDirectory();
        string output = directory["figures"];

        CliRun run = await CliRun.RunAsync("demo", "--quick", "--out", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Error);
        foreach (string name in (string[])["sigmoid.png", "digits.png", "error.png", "proba-right.png", "proba-wrong.png"])
        {
            byte[] png = File.ReadAllBytes(Path.Combine(output, name));
            Assert.True(png.AsSpan(0, 8).SequenceEqual(s_pngSignature), $"{name} is not a PNG");

            // IHDR: width and height big-endian at bytes 16 and 20; a real figure, not an empty canvas.
            Assert.InRange(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), 400, 4000);
            Assert.InRange(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)), 300, 4000);
            Assert.True(png.Length > 10_000, $"{name} has only {png.Length} bytes");
        }

        Assert.Empty(Directory.GetFiles(output, "*.tmp*"));
        string text = run.Output;
        Assert.Contains("9,500", text, StringComparison.Ordinal);
        Assert.Contains("59,500", text, StringComparison.Ordinal);

        // All six experiments, each beside the figure the notebook printed (experiment 1 also for its training digits).
        string[] rows = [.. run.OutputLines.Where(l => l.Length > 4 && l.StartsWith("│ ", StringComparison.Ordinal) && char.IsAsciiDigit(l[2]) && l.Contains('%', StringComparison.Ordinal))];
        Assert.Equal(["1", "1", "2", "3", "4", "5", "6"], rows.Select(r => r.Split('│')[1].Trim()));
        Assert.Equal(["91.20%", "92.00%", "95.00%", "81.40%", "95.00%", "97.60%", "98.40%"], rows.Select(r => r.Split('│')[4].Trim()));
        Assert.Contains("deep [250, 50, 10], standardised", rows[^1], StringComparison.Ordinal);
        Assert.Equal(["5 of 300", "5 of 300", "5 of 300", "5 of 275", "+1 of 50", "8 of 500", "8 of 500"], rows.Select(r => r.Split('│')[3].Trim()));
        Assert.Contains("backprop notebook", text, StringComparison.Ordinal);
        Assert.DoesNotContain("publishes only", text, StringComparison.Ordinal);
        Assert.Contains("standardising helps:", text, StringComparison.Ordinal);
        Assert.Contains("the deep network is best:", text, StringComparison.Ordinal);
        Assert.Equal(4, run.OutputLines.Count(l => l.StartsWith("│ 0  │ 0  │ 0   │", StringComparison.Ordinal) || l.StartsWith("│ 0  │ 1  │ 1   │", StringComparison.Ordinal)
            || l.StartsWith("│ 1  │ 0  │ 1   │", StringComparison.Ordinal) || l.StartsWith("│ 1  │ 1  │ 0   │", StringComparison.Ordinal)));
        Assert.DoesNotContain("WRONG", text, StringComparison.Ordinal);
    }
}
