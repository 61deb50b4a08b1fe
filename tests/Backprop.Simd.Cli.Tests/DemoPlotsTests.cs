using System.Globalization;
using Backprop.Simd.Cli.Demo;

namespace Backprop.Simd.Cli.Tests;

/// <summary>The error plot's log axis: labels at round values that frame the data, never at 10^(k/5) steps.</summary>
public sealed class DemoPlotsTests
{
    [Theory]
    [InlineData(1.26, 3.98, "1 2 3 4")]
    [InlineData(0.05, 2.3, "0.05 0.1 0.2 0.5 1 2 5")]
    [InlineData(0.012, 0.3, "0.01 0.02 0.05 0.1 0.2 0.5")]
    [InlineData(0.0002, 40, "0.0001 0.001 0.01 0.1 1 10 100")]
    [InlineData(2.05, 2.1, "2 3")]
    public void Log_ticks_are_labelled_at_round_values_that_frame_the_data(double low, double high, string labels)
    {
        (double[] labelled, double[] minor) = DemoPlots.LogTicks(low, high);

        Assert.Equal(labels, string.Join(' ', labelled.Select(v => v.ToString(CultureInfo.InvariantCulture))));
        Assert.True(labelled[0] <= low && labelled[^1] >= high, $"[{labelled[0]}, {labelled[^1]}] does not hold [{low}, {high}]");

        // Minor ticks at the other m × 10^k between the labels, and nowhere else.
        double[] expectedMinor = [.. Enumerable.Range(-6, 10).SelectMany(k => Enumerable.Range(1, 9).Select(m => double.Parse($"{m}E{k}", CultureInfo.InvariantCulture)))
            .Where(v => v > labelled[0] && v < labelled[^1] && !labelled.Contains(v)).Order()];
        Assert.Equal(expectedMinor, minor);
    }
}
