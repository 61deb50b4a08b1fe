using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Demo;
using Backprop.Simd.IO;
using ScottPlot;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>The notebook's pictures, redrawn from the replay: each experiment's error curve, and two test digits with their class bars.</summary>
internal static class NotebookPlots
{
    /// <summary>The notebook's <c>plot_larger_error</c> shows the error from 0 to 1000.</summary>
    private const double LargerErrorTop = 1000;

    private const string ErrorAxis = "cost per minibatch, mean of the epoch";

    /// <summary>"error-3.png".</summary>
    public static string ErrorFile(int experiment) => string.Create(CultureInfo.InvariantCulture, $"error-{experiment}.png");

    /// <summary>"digit-31.png".</summary>
    public static string DigitFile(int index) => string.Create(CultureInfo.InvariantCulture, $"digit-{index}.png");

    /// <summary>
    /// The error of every epoch of one experiment, as the notebook's <c>plot_error</c> draws it; beside it the 0-1000
    /// view of its <c>plot_larger_error</c>, and the test accuracy after every epoch against the notebook's figure.
    /// </summary>
    public static void ErrorCurve<T>(string path, ExperimentResult<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] epochs = [.. Enumerable.Range(result.FirstEpoch, result.Epochs).Select(e => (double)e)];
        string epochAxis = result.FirstEpoch == 1 ? "epoch" : $"epoch (continuing experiment {result.Experiment.Continues}'s count)";
        var figure = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Grid(1, 3) };
        figure.AddPlots(3);
        for (int panel = 0; panel < 2; panel++)
        {
            Plot plot = figure.GetPlot(panel);
            plot.Add.ScatterLine(epochs, result.Errors).LineWidth = 2;
            plot.XLabel(epochAxis);
            plot.YLabel(ErrorAxis);
        }

        NotebookExperiment experiment = result.Experiment;
        figure.GetPlot(0).Title(string.Create(CultureInfo.InvariantCulture, $"Experiment {experiment.Number}: {experiment.Title}"));
        Plot larger = figure.GetPlot(1);
        larger.Axes.AutoScaleX();
        larger.Axes.SetLimitsY(0, LargerErrorTop);
        larger.Title("the same from 0 to 1000, as plot_larger_error");
        if (result.Errors.Min() > LargerErrorTop)
        {
            // An empty panel would look like a failure to draw; say why it is empty.
            var note = larger.Add.Text("this cost stays above 1000: it sums the cross-entropy of all\n10 outputs and is not halved, unlike the notebook's error", (epochs[0] + epochs[^1]) / 2, LargerErrorTop / 2);
            note.Alignment = Alignment.MiddleCenter;
            note.LabelFontSize = 13;
        }


        // The second half of the training, where the accuracy has settled and moves by a few digits.
        int half = result.TestAccuracies.Length / 2;
        double[] settled = [.. result.TestAccuracies[half..].Select(a => a * 100)];
        Plot accuracy = figure.GetPlot(2);
        accuracy.Add.ScatterLine(epochs[half..], settled).LineWidth = 2;
        var published = accuracy.Add.HorizontalLine(experiment.PublishedTestAccuracy * 100, 2, Colors.Red, LinePattern.Dashed);
        published.LegendText = "the notebook's figure";
        double low = Math.Min(settled.Min(), experiment.PublishedTestAccuracy * 100);
        double high = Math.Max(settled.Max(), experiment.PublishedTestAccuracy * 100);
        accuracy.Axes.SetLimits(epochs[half], epochs[^1], low - 1, Math.Min(100, high + 1));
        accuracy.XLabel(epochAxis);
        accuracy.YLabel("test accuracy, %");
        accuracy.ShowLegend(Alignment.LowerRight);
        accuracy.Title("test accuracy after each epoch, second half");
        AtomicFile.Write(path, figure.Render(1800, 480).GetImageBytes(ImageFormat.Png, 100));
    }

    /// <summary>
    /// A test digit beside two bars per class: the network's sigmoid output, and the softmax of those outputs that the
    /// notebook's <c>predict_proba</c> returns (which squeezes them towards 1/10).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="title">What the notebook's model did with the digit, above it.</param>
    /// <param name="outcome">What this replay's model does with it, above the bars.</param>
    /// <param name="index">The digit's index in the test set.</param>
    /// <param name="pixels">Its pixels, 0-255.</param>
    /// <param name="label">Its true class, shaded.</param>
    /// <param name="outputs">The sigmoid output of each class.</param>
    public static void Digit(string path, string title, string outcome, int index, float[] pixels, int label, IReadOnlyList<double> outputs)
    {
        var figure = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Grid(1, 2) };
        figure.AddPlots(2);
        Plot digit = figure.GetPlot(0);
        int side = (int)Math.Sqrt(pixels.Length);
        var heatmap = digit.Add.Heatmap(DemoPlots.ToGrid(pixels, side));
        heatmap.Extent = new CoordinateRect(0, side, 0, side);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        digit.Axes.SquareUnits();
        digit.HideAxesAndGrid();
        digit.Title(title);

        Plot bars = figure.GetPlot(1);
        var truth = bars.Add.HorizontalSpan(label - 0.5, label + 0.5, Colors.Green.WithAlpha(0.2));
        truth.LegendText = "the true class";
        AddSeries(bars, outputs, -0.2, Colors.SteelBlue, "σ(z): the network's output per class");
        AddSeries(bars, Softmax(outputs), 0.2, Colors.Orange, "softmax of those (the notebook's predict_proba)");
        bars.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, outputs.Count).Select(c => (double)c)],
            [.. Enumerable.Range(0, outputs.Count).Select(c => c.ToString(CultureInfo.InvariantCulture))]);
        bars.Axes.SetLimits(-0.6, outputs.Count - 0.4, 0, 1);
        bars.XLabel("class");
        bars.YLabel("probability");
        bars.Title(outcome);
        bars.ShowLegend(Edge.Bottom);
        AtomicFile.Write(path, figure.Render(1100, 560).GetImageBytes(ImageFormat.Png, 100));
    }

    private static void AddSeries(Plot plot, IReadOnlyList<double> values, double shift, Color color, string legend)
    {
        var series = plot.Add.Bars([.. Enumerable.Range(0, values.Count).Select(c => c + shift)], [.. values]);
        series.Color = color;
        series.LegendText = legend;
        foreach (Bar bar in series.Bars)
        {
            bar.Size = 0.4;
        }
    }

    private static double[] Softmax(IReadOnlyList<double> values)
    {
        double[] exponentials = [.. values.Select(Math.Exp)];
        double sum = exponentials.Sum();
        return [.. exponentials.Select(e => e / sum)];
    }
}
