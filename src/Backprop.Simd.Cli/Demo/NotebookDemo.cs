using System.Diagnostics;
using System.Globalization;
using Backprop.Simd.Cli.Data;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Data;
using Backprop.Simd.Diagnostics;
using Backprop.Simd.Models;
using Backprop.Simd.Numerics;
using Backprop.Simd.Training;
using Spectre.Console;

namespace Backprop.Simd.Cli.Demo;

/// <summary>
/// <c>backprop demo</c>: replays the original notebook on the embedded digits — the sigmoid, XOR, the one-hidden-layer
/// classifier on raw and standardised pixels, a warm start at half the learning rate, the deep network — prints
/// the accuracies beside the notebook's and draws the figures.
/// </summary>
internal sealed class NotebookDemo(CliConsole console, string outputDirectory, int epochs, int threads)
{
    /// <summary>Epochs of each classifier run, and with <c>--quick</c>.</summary>
    public const int FullEpochs = 150;

    public const int QuickEpochs = 5;

    /// <summary>The only accuracy the notebook publishes: the deep [250, 50, 10] network on its 500 held-out digits.</summary>
    public const double NotebookDeepAccuracy = 0.984;

    /// <summary>Digits the notebook trained on: 60,000 less its 500 held out.</summary>
    private const int NotebookTrainCount = 59_500;

    private const int GridColumns = 8;
    private const int GridDigits = 32;

    private readonly IAnsiConsole _out = console.Spectre;
    private readonly TextWriter _text = console.Out;

    public int Run(CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        OutputDirectory.Prepare(outputDirectory, "--out", DemoPlots.SigmoidFile, DemoPlots.DigitsFile, DemoPlots.ErrorFile, DemoPlots.RightFile, DemoPlots.WrongFile);
        _text.WriteLine("Backprop.Simd demo: the original notebook, replayed on the MNIST digits embedded in this tool.");
        _text.WriteLine($"hardware: {HardwareInfo.Describe()}; {epochs} epochs per classifier run{(epochs == QuickEpochs ? " (--quick)" : string.Empty)}");

        ShowSigmoid();
        ShowXor(cancellationToken);

        (Dataset<float> test, Dataset<float> train) = EmbeddedDigits.LoadSplit<float>(PixelScaling.Raw);
        _text.WriteLine();
        _text.WriteLine("3. Handwritten digits");
        _text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   The notebook shuffles MNIST with seed 42 and holds out the first {EmbeddedDigits.TestCount} digits as its test set, training on the other {NotebookTrainCount:N0}."));
        _text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   The embedded set has {train.Count + test.Count:N0} digits, so the same split trains on {train.Count:N0} and tests on {test.Count}: expect lower accuracies than the notebook's."));

        Standardizer<float> standardizer = Standardizer<float>.Fit(train.Features);
        Matrix<float> trainStandard = standardizer.Transform(train.Features);
        Matrix<float> testStandard = standardizer.Transform(test.Features);

        var runs = new List<DigitRun>();
        var raw = new MlpClassifier<float>(Recipe([50]));
        runs.Add(Fit("1 hidden layer (50)", "raw pixels 0-255", raw, train.Features, train.Labels, test.Features, test.Labels, double.NaN, cancellationToken));
        var standard = new MlpClassifier<float>(Recipe([50]));
        runs.Add(Fit("1 hidden layer (50)", "standardised", standard, trainStandard, train.Labels, testStandard, test.Labels, double.NaN, cancellationToken));
        standard.LearningRate /= 2;
        runs.Add(Fit("1 hidden layer, warm start, lr/2", "standardised", standard, trainStandard, train.Labels, testStandard, test.Labels, double.NaN, cancellationToken));
        var deep = new MlpClassifier<float>(Recipe([250, 50, 10]));
        runs.Add(Fit("deep [250, 50, 10]", "standardised", deep, trainStandard, train.Labels, testStandard, test.Labels, NotebookDeepAccuracy, cancellationToken));

        ShowResults(runs);
        DrawDigitFigures(deep, test, testStandard, runs);
        _text.WriteLine();
        _text.WriteLine($"Figures in {Path.GetFullPath(outputDirectory)}: {string.Join(", ", DemoPlots.Files)}");
        _text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"demo took {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s"));
        return ExitCodes.Success;
    }

    /// <summary>The notebook's recipe (sigmoid units, uniform(−1, 1) weights, plain SGD on summed gradients, 25 batches in order) with its L2 0.5 and learning rate 0.001.</summary>
    private MlpClassifierOptions Recipe(int[] hidden)
    {
        MlpClassifierOptions options = MlpClassifierOptions.Notebook(hidden, learningRate: 0.001, l2: 0.5, epochs: epochs, batchCount: 25);
        options.Training.MaxDegreeOfParallelism = threads;
        return options;
    }

    private void ShowSigmoid()
    {
        _text.WriteLine();
        _text.WriteLine("1. The sigmoid σ(z) = 1 / (1 + e^−z) and its derivative σ'(z) = σ(z)(1 − σ(z))");
        double[] z = [-6, -2, 0, 2, 6];
        var y = new double[z.Length];
        var derivative = new double[z.Length];
        Kernels.Sigmoid<double>(z, y);
        Kernels.SigmoidDerivative<double>(y, derivative);
        var table = TextTable.Create("z", "σ(z)", "σ'(z)");
        for (int i = 0; i < z.Length; i++)
        {
            table.AddTextRow(Format.Fixed(z[i], 0), Format.Fixed(y[i], 4), Format.Fixed(derivative[i], 4));
        }

        _out.Write(table);
        DemoPlots.Sigmoid(Path.Combine(outputDirectory, DemoPlots.SigmoidFile));
    }

    private void ShowXor(CancellationToken cancellationToken)
    {
        _text.WriteLine();
        _text.WriteLine($"2. XOR: a 2-3-1 sigmoid network, {XorDemo.Epochs} epochs of SGD on the four cases");
        double[] outputs = XorDemo.TrainAndPredict(cancellationToken);
        var table = TextTable.Create("x1", "x2", "XOR", "network", "rounded");
        for (int i = 0; i < outputs.Length; i++)
        {
            bool right = Math.Round(outputs[i]) == XorDemo.Targets[i, 0];
            table.AddTextRow(Format.Fixed(XorDemo.Inputs[i, 0], 0), Format.Fixed(XorDemo.Inputs[i, 1], 0), Format.Fixed(XorDemo.Targets[i, 0], 0), Format.Fixed(outputs[i], 3), right ? "right" : "WRONG");
        }

        _out.Write(table);
    }

    private DigitRun Fit(string name, string input, MlpClassifier<float> classifier, Matrix<float> features, int[] labels, Matrix<float> testFeatures, int[] testLabels, double notebook, CancellationToken cancellationToken)
    {
        int before = classifier.History.Count;
        long start = Stopwatch.GetTimestamp();
        if (console.IsTerminal)
        {
            _out.Status().Start(Markup.Escape($"{name}, {input}"), context => classifier.Fit(features, labels, new CallbackProgress<EpochMetrics>(m =>
                context.Status(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{name}, {input}: epoch {m.Epoch - before}/{epochs}, cross-entropy {m.DataLoss:F4}")))), cancellationToken));
        }
        else
        {
            classifier.Fit(features, labels, cancellationToken: cancellationToken);
        }

        double[] losses = [.. classifier.History.Skip(before).Select(m => m.DataLoss)];
        var run = new DigitRun(name, input, before + 1, losses, classifier.Score(features, labels), classifier.Score(testFeatures, testLabels), notebook, Stopwatch.GetElapsedTime(start).TotalSeconds);
        _text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   trained {name}, {input}: test accuracy {Format.Percent(run.TestAccuracy)} ({run.Seconds:F1} s)"));
        return run;
    }

    private void ShowResults(List<DigitRun> runs)
    {
        _text.WriteLine();
        var table = TextTable.Create("run", "input", "epochs", "train accuracy", "test accuracy", "notebook");
        foreach (DigitRun run in runs)
        {
            string span = run.FirstEpoch == 1 ? run.Losses.Length.ToString(CultureInfo.InvariantCulture) : $"+{run.Losses.Length}";
            table.AddTextRow(run.Name, run.Input, span, Format.Percent(run.TrainAccuracy), Format.Percent(run.TestAccuracy), Format.Percent(run.NotebookAccuracy));
        }

        _out.Write(table);
        _text.WriteLine("   notebook: the accuracy the notebook reports for the same run on its own 500 held-out digits (n/a: it gives none).");

        DigitRun rawRun = runs[0], standardRun = runs[1], deepRun = runs[^1];
        bool standardisingHelps = standardRun.TestAccuracy > rawRun.TestAccuracy;
        bool deepIsBest = runs.All(r => deepRun.TestAccuracy >= r.TestAccuracy);
        _text.WriteLine("Trends:");
        _text.WriteLine($"   standardising helps: {Format.Percent(rawRun.TestAccuracy)} raw → {Format.Percent(standardRun.TestAccuracy)} standardised: {(standardisingHelps ? "holds" : "DOES NOT HOLD")}");
        _text.WriteLine($"   the deep network is best: {Format.Percent(deepRun.TestAccuracy)} against at most {Format.Percent(runs.SkipLast(1).Max(r => r.TestAccuracy))}: {(deepIsBest ? "holds" : "DOES NOT HOLD")}");
    }

    private void DrawDigitFigures(MlpClassifier<float> deep, Dataset<float> test, Matrix<float> testStandard, List<DigitRun> runs)
    {
        int[] predicted = deep.Predict(testStandard);
        int side = EmbeddedDigits.Side;

        // The first digits of the test set, then the first mistakes beyond them, so that some red shows.
        int[] mistakes = [.. Enumerable.Range(0, test.Count).Where(i => predicted[i] != test.Labels[i])];
        int[] shown = [.. Enumerable.Range(0, GridDigits - 8).Concat(mistakes.Where(i => i >= GridDigits - 8).Take(8))];
        DemoPlots.Digits(
            Path.Combine(outputDirectory, DemoPlots.DigitsFile),
            [.. shown.Select(i => test.Features.Row(i).ToArray())],
            side,
            [.. shown.Select(i => test.Labels[i])],
            [.. shown.Select(i => predicted[i])],
            GridColumns,
            inOrder: GridDigits - 8,
            mistakes: mistakes.Length,
            testCount: test.Count);
        DemoPlots.Errors(Path.Combine(outputDirectory, DemoPlots.ErrorFile), runs);

        int right = Enumerable.Range(0, test.Count).FirstOrDefault(i => predicted[i] == test.Labels[i], -1);
        DrawProbabilities(deep, test, testStandard, right, DemoPlots.RightFile, "a digit the deep network gets right");
        DrawProbabilities(deep, test, testStandard, mistakes.Length > 0 ? mistakes[0] : -1, DemoPlots.WrongFile, "a digit the deep network gets wrong");
    }

    private void DrawProbabilities(MlpClassifier<float> deep, Dataset<float> test, Matrix<float> testStandard, int index, string file, string what)
    {
        string path = Path.Combine(outputDirectory, file);
        if (index < 0)
        {
            DemoPlots.Probabilities(path, $"no {what}", null, EmbeddedDigits.Side, 0, []);
            return;
        }

        var probabilities = new float[test.ClassCount];
        deep.PredictProba(testStandard.Row(index), probabilities);
        string title = string.Create(CultureInfo.InvariantCulture, $"test digit {index}: true {test.Labels[index]}, predicted {Array.IndexOf(probabilities, probabilities.Max())}");
        DemoPlots.Probabilities(path, title, test.Features.Row(index).ToArray(), EmbeddedDigits.Side, test.Labels[index], [.. probabilities.Select(p => (double)p)]);
    }
}
