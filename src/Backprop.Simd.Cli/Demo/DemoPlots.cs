using System.Globalization;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.IO;
using Backprop.Simd.Numerics;
using ScottPlot;

namespace Backprop.Simd.Cli.Demo;

/// <summary>The demo's five figures, drawn with ScottPlot and written as PNG files.</summary>
internal static class DemoPlots
{
    public const string SigmoidFile = "sigmoid.png";
    public const string DigitsFile = "digits.png";
    public const string ErrorFile = "error.png";
    public const string RightFile = "proba-right.png";
    public const string WrongFile = "proba-wrong.png";

    /// <summary>The five file names, in the order the demo writes them.</summary>
    public static IReadOnlyList<string> Files { get; } = [SigmoidFile, DigitsFile, ErrorFile, RightFile, WrongFile];

    private static readonly Color s_mistake = Colors.Red;

    // MNIST as it is usually shown: white ink on black.
    private static readonly ScottPlot.Colormaps.Grayscale s_ink = new();

    /// <summary>σ(z) and σ'(z) on [−7, 7], computed by the library's kernels.</summary>
    public static void Sigmoid(string path)
    {
        double[] z = [.. Enumerable.Range(0, 141).Select(i => -7 + (i * 0.1))];
        var y = new double[z.Length];
        var derivative = new double[z.Length];
        Kernels.Sigmoid<double>(z, y);
        Kernels.SigmoidDerivative<double>(y, derivative);

        var plot = new Plot();
        plot.Add.ScatterLine(z, y).LegendText = "σ(z) = 1 / (1 + e^−z)";
        plot.Add.ScatterLine(z, derivative).LegendText = "σ'(z) = σ(z) (1 − σ(z))";
        plot.Add.VerticalLine(0, color: Colors.Gray);
        plot.Title("The sigmoid and its derivative");
        plot.XLabel("z");
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path, 640, 420);
    }

    /// <summary>
    /// A grid of digits, each titled "true → predicted", mistakes in red with a red frame: the first test digits in
    /// order, then, under a caption of their own, further mistakes picked out of the rest of the test set, so that the
    /// grid shows what the mistakes look like without reading as the error rate (the title gives that).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="images">The digits' pixels, 0..255, row by row: the <paramref name="inOrder"/> first test digits, then the picked-out mistakes.</param>
    /// <param name="side">The side of a digit.</param>
    /// <param name="labels">The true classes.</param>
    /// <param name="predicted">The predicted classes.</param>
    /// <param name="columns">Digits per row of the grid.</param>
    /// <param name="inOrder">How many of <paramref name="images"/> are the test set's first digits, in order.</param>
    /// <param name="mistakes">The mistakes in the whole test set.</param>
    /// <param name="testCount">The size of the test set.</param>
    public static void Digits(string path, IReadOnlyList<float[]> images, int side, IReadOnlyList<int> labels, IReadOnlyList<int> predicted, int columns, int inOrder, int mistakes, int testCount)
    {
        const double RowHeight = 1.25, CaptionHeight = 0.25, BlockGap = 0.1;
        var plot = new Plot();
        int pickedOut = images.Count - inOrder;
        int inOrderRows = (inOrder + columns - 1) / columns;
        int pickedOutRows = (pickedOut + columns - 1) / columns;

        // Two blocks from y = 0 down, each a caption over rows of cells: the digits in order, then the picked-out mistakes.
        double secondBlock = -CaptionHeight - (inOrderRows * RowHeight) - BlockGap;
        double Top(int k) => k < inOrder
            ? -CaptionHeight - ((k / columns) * RowHeight)
            : secondBlock - CaptionHeight - (((k - inOrder) / columns) * RowHeight);
        Caption(plot, 0, $"the first {inOrder} test digits, in order");
        if (pickedOut > 0)
        {
            var rule = plot.Add.HorizontalLine(secondBlock + (BlockGap / 2), width: 1, color: Colors.LightGray);
            rule.LinePattern = LinePattern.Dashed;
            Caption(plot, secondBlock, $"then {pickedOut} more mistakes, picked out of the other {testCount - inOrder} test digits");
        }

        for (int k = 0; k < images.Count; k++)
        {
            // Cell k spans x in [c, c + 0.8] and y in [top − 0.8, top], leaving room for its title above.
            double left = (k < inOrder ? k : k - inOrder) % columns;
            double top = Top(k) - 0.3;
            var heatmap = plot.Add.Heatmap(ToGrid(images[k], side));
            heatmap.Extent = new CoordinateRect(left, left + 0.8, top - 0.8, top);
            heatmap.Colormap = s_ink;
            bool wrong = labels[k] != predicted[k];
            var title = plot.Add.Text($"{labels[k]} → {predicted[k]}", left + 0.4, top + 0.02);
            title.Alignment = Alignment.LowerCenter;
            title.LabelFontSize = 13;
            title.LabelFontColor = wrong ? s_mistake : Colors.Black;
            title.LabelBold = wrong;
            if (wrong)
            {
                var frame = plot.Add.Rectangle(left - 0.03, left + 0.83, top - 0.83, top + 0.03);
                frame.FillStyle.Color = Colors.Transparent;
                frame.LineStyle.Color = s_mistake;
                frame.LineStyle.Width = 3;
            }
        }

        plot.HideAxesAndGrid();
        plot.Title(string.Create(
            CultureInfo.InvariantCulture,
            $"The deep network on the {testCount} test digits: {mistakes} wrong ({Format.Percent((double)mistakes / testCount)})\neach digit: true → predicted; mistakes in red"));
        double bottom = Top(images.Count - 1) - 0.3 - 0.9;
        plot.Axes.SetLimits(-0.1, columns, bottom, 0.05);
        Save(plot, path, 110 * columns, (int)(100 * (-bottom + 0.05)) + 70);
    }

    private static void Caption(Plot plot, double y, string text)
    {
        var caption = plot.Add.Text(text, -0.05, y);
        caption.Alignment = Alignment.UpperLeft;
        caption.LabelFontSize = 14;
        caption.LabelItalic = true;
        caption.LabelFontColor = Colors.DimGray;
    }

    /// <summary>The mean cross-entropy per digit of every epoch of every run, on a log scale.</summary>
    public static void Errors(string path, IReadOnlyList<DigitRun> runs)
    {
        var plot = new Plot();
        foreach (DigitRun run in runs)
        {
            double[] epochs = [.. Enumerable.Range(run.FirstEpoch, run.Losses.Length).Select(e => (double)e)];
            double[] logLoss = [.. run.Losses.Select(Math.Log10)];
            var line = plot.Add.ScatterLine(epochs, logLoss);
            line.LegendText = run.Name + ", " + run.Input;
            line.LineWidth = 2;
        }

        LogScaleY(plot, runs.SelectMany(r => r.Losses));
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Title("Training error per epoch (log scale)");
        plot.XLabel("epoch");
        plot.YLabel("mean cross-entropy per digit");
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, 800, 500);
    }

    /// <summary>A digit beside the bars of its ten class probabilities; the true class in green, a wrong prediction in red.</summary>
    /// <param name="path">The file.</param>
    /// <param name="title">What the figure shows.</param>
    /// <param name="image">The digit's pixels, or null when there is no such digit (the figure then says so).</param>
    /// <param name="side">The side of the digit.</param>
    /// <param name="label">Its true class.</param>
    /// <param name="probabilities">The class probabilities.</param>
    public static void Probabilities(string path, string title, float[]? image, int side, int label, IReadOnlyList<double> probabilities)
    {
        var figure = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Grid(1, 2) };
        figure.AddPlots(2);
        Plot digit = figure.GetPlot(0);
        Plot bars = figure.GetPlot(1);
        digit.HideAxesAndGrid();
        if (image is null)
        {
            digit.Add.Text("no such digit in the test set", 0, 0);
            digit.Title(title);
            Save(figure, path);
            return;
        }

        var heatmap = digit.Add.Heatmap(ToGrid(image, side));
        heatmap.Extent = new CoordinateRect(0, side, 0, side);
        heatmap.Colormap = s_ink;
        digit.Axes.SquareUnits();
        digit.Title(title);

        int predicted = ArgMax(probabilities);
        Bar[] items = [.. probabilities.Select((p, c) => new Bar { Position = c, Value = p, FillColor = c == label ? Colors.Green : c == predicted ? s_mistake : Colors.SteelBlue })];
        bars.Add.Bars(items);
        for (int c = 0; c < probabilities.Count; c++)
        {
            // Each value above its bar; the axis ends at 1, so a bar that nearly reaches it carries its value inside, in white.
            bool tall = probabilities[c] > 0.9;
            var value = bars.Add.Text(Format.Fixed(probabilities[c], 2), c, tall ? probabilities[c] - 0.015 : probabilities[c] + 0.015);
            value.Alignment = tall ? Alignment.UpperCenter : Alignment.LowerCenter;
            value.LabelFontSize = 12;
            value.LabelFontColor = tall ? Colors.White : Colors.Black;
            value.LabelBold = tall;
        }

        bars.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, probabilities.Count).Select(c => (double)c)],
            [.. Enumerable.Range(0, probabilities.Count).Select(c => c.ToString(CultureInfo.InvariantCulture))]);
        bars.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [0, 0.2, 0.4, 0.6, 0.8, 1],
            ["0", "0.2", "0.4", "0.6", "0.8", "1"]);
        bars.Axes.SetLimitsY(0, 1);
        bars.Title("class probabilities (softmax)");
        bars.XLabel("class");
        LegendItem[] legend = predicted == label
            ? [new() { LabelText = "true class, predicted", FillColor = Colors.Green }, new() { LabelText = "other classes", FillColor = Colors.SteelBlue }]
            : [new() { LabelText = "true class", FillColor = Colors.Green }, new() { LabelText = "predicted (wrong)", FillColor = s_mistake }, new() { LabelText = "other classes", FillColor = Colors.SteelBlue }];
        bars.ShowLegend(legend, Alignment.UpperRight);
        Save(figure, path);
    }

    /// <summary>
    /// Ticks for a log axis over [<paramref name="low"/>, <paramref name="high"/>] (positive): labels at round values,
    /// 10^k, or 1, 2, 5 × 10^k, or 1 … 9 × 10^k (the coarsest that gives at least four without stretching the axis
    /// more than half again beyond the data), minor ticks at the other
    /// m × 10^k between them; the labels run from the one at or below <paramref name="low"/> to the one at or above
    /// <paramref name="high"/>, so that they frame the data.
    /// </summary>
    /// <returns>The labelled values and the minor ones, ascending.</returns>
    internal static (double[] Labelled, double[] Minor) LogTicks(double low, double high)
    {
        double[][] steps = [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]];
        int first = (int)Math.Floor(Math.Log10(low)) - 1, last = (int)Math.Ceiling(Math.Log10(high)) + 1;
        double[] Values(double[] mantissas) => [.. Enumerable.Range(first, last - first + 1).SelectMany(k => mantissas.Select(m => Round(m * Math.Pow(10, k))))];
        double[] labelled = [];
        foreach (double[] mantissas in steps)
        {
            double[] candidates = Values(mantissas);
            double from = candidates.Last(v => v <= low * (1 + 1e-9)), to = candidates.First(v => v >= high * (1 - 1e-9));
            labelled = [.. candidates.Where(v => v >= from && v <= to)];
            if (labelled.Length >= 4 && Math.Log10(to / from) <= 1.5 * Math.Log10(high / low))
            {
                break;
            }
        }

        double[] minor = [.. Values(steps[^1]).Where(v => v > labelled[0] && v < labelled[^1] && !labelled.Contains(v))];
        return (labelled, minor);
    }

    /// <summary>
    /// The left axis of a plot whose series are drawn as log10 of <paramref name="values"/> (ScottPlot draws linear axes):
    /// ticks at round values of the data itself (<see cref="LogTicks"/>) and limits that frame them.
    /// </summary>
    internal static void LogScaleY(Plot plot, IEnumerable<double> values)
    {
        double[] all = [.. values.Where(v => v > 0 && double.IsFinite(v))];
        if (all.Length > 0)
        {
            (double[] labelled, double[] minor) = LogTicks(all.Min(), all.Max());
            plot.Axes.Left.TickGenerator = LogAxis(labelled, minor);
            double low = Math.Log10(labelled[0]), high = Math.Log10(labelled[^1]);
            plot.Axes.SetLimitsY(low - (0.02 * (high - low)), high + (0.02 * (high - low)));
        }
    }

    /// <summary>The ticks of <see cref="LogTicks"/> for ScottPlot, at log10 of the values.</summary>
    private static ScottPlot.TickGenerators.NumericManual LogAxis(double[] labelled, double[] minor)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (double value in labelled)
        {
            ticks.AddMajor(Math.Log10(value), value.ToString(value >= 1e-4 ? "0.####" : "0E0", CultureInfo.InvariantCulture));
        }

        foreach (double value in minor)
        {
            ticks.AddMinor(Math.Log10(value));
        }

        return ticks;
    }

    /// <summary>m × 10^k as the decimal it is (Math.Pow leaves 0.30000000000000004 and the like).</summary>
    private static double Round(double value) => double.Parse(value.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static int ArgMax(IReadOnlyList<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Count; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }

    internal static double[,] ToGrid(float[] pixels, int side)
    {
        var grid = new double[side, side];
        for (int r = 0; r < side; r++)
        {
            for (int c = 0; c < side; c++)
            {
                grid[r, c] = pixels[(r * side) + c];
            }
        }

        return grid;
    }

    private static void Save(Plot plot, string path, int width, int height) =>
        AtomicFile.Write(path, plot.GetImageBytes(width, height, ImageFormat.Png));

    private static void Save(Multiplot figure, string path) =>
        AtomicFile.Write(path, figure.Render(900, 420).GetImageBytes(ImageFormat.Png, 100));
}
