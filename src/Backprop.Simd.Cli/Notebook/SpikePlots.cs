using System.Globalization;
using Backprop.Simd.Cli.Demo;
using Backprop.Simd.IO;
using ScottPlot;

namespace Backprop.Simd.Cli.Notebook;

/// <summary><c>spikes.png</c>: the error, the gradient norm and sharpness × lr / 2 over the epochs, one colour per variant.</summary>
internal static class SpikePlots
{
    /// <summary>The picture's file name.</summary>
    public const string File = "spikes.png";

    /// <summary>Draws the three panels of <paramref name="results"/> into <paramref name="path"/>.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="results">The variants, the published one first.</param>
    /// <param name="batchRows">The rows of the minibatch the sharpness is measured on.</param>
    public static void Draw(string path, IReadOnlyList<SpikeResult> results, int batchRows)
    {
        var figure = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Grid(3, 1) };
        figure.AddPlots(3);
        Plot error = figure.GetPlot(0);
        Plot gradient = figure.GetPlot(1);
        Plot sharpness = figure.GetPlot(2);
        for (int v = 0; v < results.Count; v++)
        {
            SpikeResult result = results[v];
            float width = v == 0 ? 2.5f : 1.5f;
            Color color = Colors.Category10[v % Colors.Category10.Length];
            double[] epochs = [.. Enumerable.Range(1, result.Errors.Length).Select(e => (double)e)];
            AddLine(error, epochs, [.. result.Errors.Select(Math.Log10)], color, width, result.Variant.Name);
            AddLine(gradient, epochs, [.. result.GradientNorms.Select(Math.Log10)], color, width, result.Variant.Name);
            AddLine(sharpness, [.. result.Sharpness.Select(p => (double)p.Epoch)], [.. result.Sharpness.Select(p => p.Ratio)], color, width, result.Variant.Name).MarkerSize = 4;
        }

        error.Title("Experiment 6 ([250, 50, 10], standardised) and its variants: error per epoch (mean of the minibatch costs, the published run's scale)");
        error.YLabel("error (log scale)");
        gradient.Title("gradient norm per epoch (mean over the epoch's minibatch steps, the published run's scale)");
        gradient.YLabel("gradient norm (log scale)");
        var unstable = sharpness.Add.HorizontalLine(1, 2, Colors.Black, LinePattern.Dashed);
        unstable.LegendText = "1: unstable above";
        sharpness.Title(string.Create(CultureInfo.InvariantCulture, $"sharpness x lr / 2: top Hessian eigenvalue of each variant's objective on the first {batchRows:N0} training digits, times its learning rate, halved"));
        sharpness.YLabel("lr · λ / 2");
        DemoPlots.LogScaleY(error, results.SelectMany(r => r.Errors));
        DemoPlots.LogScaleY(gradient, results.SelectMany(r => r.GradientNorms));

        foreach (Plot plot in (Plot[])[error, gradient, sharpness])
        {
            plot.XLabel("epoch");
            plot.ShowLegend(Alignment.UpperRight);
        }

        AtomicFile.Write(path, figure.Render(1500, 1350).GetImageBytes(ImageFormat.Png, 100));
    }

    private static ScottPlot.Plottables.Scatter AddLine(Plot plot, double[] xs, double[] ys, Color color, float width, string legend)
    {
        ScottPlot.Plottables.Scatter line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = width;
        line.LegendText = legend;
        return line;
    }
}
