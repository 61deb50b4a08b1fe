using System.Text.RegularExpressions;
using Backprop.Simd.Cli.Training;
using Backprop.Simd.Training;
using Spectre.Console.Testing;

namespace Backprop.Simd.Cli.Tests;

/// <summary>The live training display: two lines that fit the terminal, and a last frame that shows the last epoch.</summary>
public sealed class TrainingDisplayTests
{
    /// <summary>The widest figures a run shows: three-digit epochs, four-digit batches, seven-digit throughput.</summary>
    private static readonly TrainingStatus s_busy = new(
        Epoch: 100, LastEpoch: 150, Batch: 1875, BatchCount: 1875, Loss: 0.0001234567, Accuracy: 0.9876, SamplesPerSecond: 1_234_567,
        Fraction: 0.42, Elapsed: TimeSpan.FromMinutes(3));

    [Theory]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(120)]
    public void The_status_is_two_lines_within_the_width_with_the_bar_percentage_and_time_left(int width)
    {
        var console = new TestConsole().Width(width);

        console.Write(s_busy.Render(width, unicode: true));

        string[] lines = console.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.True(l.TrimEnd().Length < width, $"{l.TrimEnd().Length} columns: '{l}'"));
        Assert.StartsWith("epoch 100/150  ", lines[0], StringComparison.Ordinal);
        Assert.Contains("loss 0.0001235", lines[0], StringComparison.Ordinal);
        Assert.Contains("accuracy 98.76%", lines[0], StringComparison.Ordinal);

        // The bar takes what the percentage and the time leave, and never shrinks to nothing.
        string bar = lines[1].TrimEnd();
        Assert.EndsWith("   42%  ETA 4:08", bar, StringComparison.Ordinal);
        int cells = bar.TakeWhile(c => c == '━').Count();
        Assert.Equal(width - 1 - "   42%  ETA 4:08".Length, cells);
        Assert.True(cells >= 40, $"a bar of {cells} cells");
    }

    [Fact]
    public void Fields_are_left_out_least_important_first()
    {
        var typical = new TrainingStatus(3, 10, 120, 313, 0.1234, 0.952, 12_345, 0.25, TimeSpan.FromSeconds(30));
        (string typical80, _) = typical.Lines(80, unicode: true);
        (string typical60, _) = typical.Lines(60, unicode: true);
        (string busy80, _) = s_busy.Lines(80, unicode: true);
        (string busy60, _) = s_busy.Lines(60, unicode: true);
        (string busy40, string bar40) = s_busy.Lines(40, unicode: false);

        Assert.Equal("epoch 3/10  batch 120/313  loss 0.1234  accuracy 95.20%  12,345 samples/s", typical80);
        Assert.Equal("epoch 3/10  batch 120/313  loss 0.1234  accuracy 95.20%", typical60);
        Assert.Equal("epoch 100/150  batch 1875/1875  loss 0.0001235  accuracy 98.76%", busy80);
        Assert.Equal("epoch 100/150  loss 0.0001235  accuracy 98.76%", busy60);
        Assert.Equal("epoch 100/150  loss 0.0001235", busy40);
        Assert.Equal(39, bar40.Length);
        Assert.Equal(new string('#', 10) + new string('-', 13) + "   42%  ETA 4:08", bar40);
    }

    [Fact]
    public void The_last_frame_shows_the_figures_of_the_epoch_that_ended()
    {
        var console = new TestConsole().Width(80).Interactive();
        var display = new LiveTrainingDisplay(console, firstEpoch: 1, epochs: 2);
        double[] accuracies = [0.5, 0.75];

        display.Run(() =>
        {
            for (int epoch = 1; epoch <= 2; epoch++)
            {
                for (int batch = 1; batch <= 4; batch++)
                {
                    display.OnBatch(new BatchProgress(epoch, batch, 4, Loss: 1.0 / (epoch * batch), SamplesPerSecond: 1000));
                }

                var metrics = new EpochMetrics(epoch, Loss: 0.25 / epoch, DataLoss: 0.25 / epoch, double.NaN, double.NaN, 1, 0.01, 0.5);
                display.OnEpoch(new EpochReport(metrics, TotalEpochs: 2, HasValidation: false, TestAccuracy: accuracies[epoch - 1]));
            }
        });

        TrainingStatus last = display.Status;
        Assert.Equal((2, 4, 4, 1.0, true), (last.Epoch, last.Batch, last.BatchCount, last.Fraction, last.Finished));
        Assert.Equal(0.75, last.Accuracy);
        Assert.Equal(0.125, last.Loss);
        (string figures, string bar) = last.Lines(80, unicode: true);
        Assert.StartsWith("epoch 2/2  batch 4/4  loss 0.125  accuracy 75.00%", figures, StringComparison.Ordinal);
        Assert.Contains("100%  took ", bar, StringComparison.Ordinal);

        // What the terminal received: the epoch lines above, and the status after the last one shows its accuracy.
        string output = console.Output;
        int lastEpochLine = output.LastIndexOf("epoch 2/2  loss 0.125  accuracy 75.00%  0.50 s", StringComparison.Ordinal);
        Assert.True(lastEpochLine >= 0, output);
        Assert.Contains("accuracy 75.00%  1,000 samples/s", output[lastEpochLine..], StringComparison.Ordinal);
        Assert.DoesNotContain("accuracy 50.00%  1,000 samples/s", output[lastEpochLine..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(80)]
    public async Task Train_on_a_terminal_draws_nothing_wider_than_it(int width)
    {
        var console = new TestConsole().Width(width).Interactive().EmitAnsiSequences();
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = await Program.RunAsync(["train", "--limit", "300", "--layers", "16", "--epochs", "2", "--batch-size", "30"], new CliConsole(console, output, error), CancellationToken.None);

        Assert.True(code == 0, console.Output + error);

        // Every stretch of text between line breaks and cursor movements: one that passed the width would wrap, and
        // the status leaves the last column free, where some terminals wrap a full line.
        string uncoloured = Regex.Replace(console.Output, @"\u001b\[[0-9;]*m", string.Empty);
        string[] pieces = Regex.Split(uncoloured, @"\u001b\[[0-9;?]*[A-Za-z]|\r|\n");
        Assert.All(pieces, p => Assert.True(p.TrimEnd().Length <= width, $"{p.TrimEnd().Length} columns: '{p}'"));
        string[] status = [.. pieces.Where(p => p.StartsWith("epoch ", StringComparison.Ordinal) || p.Contains('━', StringComparison.Ordinal))];
        Assert.All(status, p => Assert.True(p.TrimEnd().Length < width, $"{p.TrimEnd().Length} columns: '{p}'"));
        Assert.Contains(status, p => p.TrimEnd().Length == width - 1 && p.Contains('━', StringComparison.Ordinal));

        // The summary's accuracy is the last epoch's, and so is the last frame's.
        string summary = Assert.Single(pieces, p => p.StartsWith("test accuracy ", StringComparison.Ordinal));
        string accuracy = summary.Split(' ')[2];
        Assert.Contains(pieces, p => p.StartsWith("epoch 2/2  loss ", StringComparison.Ordinal) && p.Contains($"accuracy {accuracy}", StringComparison.Ordinal));
        string lastFrame = pieces.Last(p => p.StartsWith("epoch 2/2  batch ", StringComparison.Ordinal));
        Assert.Contains($"accuracy {accuracy}", lastFrame, StringComparison.Ordinal);
        Assert.Contains(pieces, p => p.Contains("100%  took ", StringComparison.Ordinal));
    }
}
