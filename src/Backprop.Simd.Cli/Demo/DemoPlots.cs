using System.Globalization;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Numerics.Kernels;
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

    /// <summary>A grid of digits, each titled "true → predicted"; mistakes in red with a red frame.</summary>
    /// <param name="path">The file.</param>
    /// <param name="images">The digits' pixels, 0..255, row by row.</param>
    /// <param name="side">The side of a digit.</param>
    /// <param name="labels">The true classes.</param>
    /// <param name="predicted">The predicted classes.</param>
    /// <param name="columns">Digits per row of the grid.</param>
    public static void Digits(string path, IReadOnlyList<float[]> images, int side, IReadOnlyList<int> labels, IReadOnlyList<int> predicted, int columns)
    {
        var plot = new Plot();
        int rows = (images.Count + columns - 1) / columns;
        for (int k = 0; k < images.Count; k++)
        {
            // Cell (row r, column c) spans x in [c, c + 0.8] and y in [−r − 0.8, −r], leaving room for its title above.
            double left = k % columns, top = -(k / columns) * 1.25;
            var rect = new CoordinateRect(left, left + 0.8, top - 0.8, top);
            var heatmap = plot.Add.Heatmap(ToGrid(images[k], side));
            heatmap.Extent = rect;
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
        plot.Title("Test digits: true → predicted by the deep network (mistakes in red)");
        plot.Axes.SetLimits(-0.1, columns, -(rows - 1) * 1.25 - 0.9, 0.3);
        Save(plot, path, 110 * columns, (125 * rows) + 60);
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

        // ScottPlot draws linear axes: plot log10 of the loss and label the ticks with the loss itself.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = y => Math.Pow(10, y).ToString("G3", CultureInfo.InvariantCulture),
        };
        plot.Title("Training error per epoch");
        plot.XLabel("epoch");
        plot.YLabel("cross-entropy per digit (log scale)");
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
        var items = new List<Bar>();
        for (int c = 0; c < probabilities.Count; c++)
        {
            Color color = c == label ? Colors.Green : c == predicted ? s_mistake : Colors.SteelBlue;
            items.Add(new Bar { Position = c, Value = probabilities[c], FillColor = color, Label = Format.Fixed(probabilities[c], 2) });
        }

        bars.Add.Bars(items);
        bars.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, probabilities.Count).Select(c => (double)c)],
            [.. Enumerable.Range(0, probabilities.Count).Select(c => c.ToString(CultureInfo.InvariantCulture))]);
        bars.Axes.SetLimitsY(0, 1.1);
        bars.Title("class probabilities (softmax)");
        bars.XLabel("class");
        Save(figure, path);
    }

    private static int ArgMax(IReadOnlyList<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Count; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }

    private static double[,] ToGrid(float[] pixels, int side)
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
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));

    private static void Save(Multiplot figure, string path) =>
        AtomicFile.WriteAllBytes(path, figure.Render(900, 420).GetImageBytes(ImageFormat.Png, 100));
}
