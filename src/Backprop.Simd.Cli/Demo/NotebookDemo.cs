using System.Diagnostics;
using System.Globalization;
using Backprop.Simd.Cli.Data;
using Backprop.Simd.Cli.Notebook;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Data;
using Backprop.Simd.Diagnostics;
using Backprop.Simd.Models;
using Backprop.Simd.Numerics;
using Spectre.Console;

namespace Backprop.Simd.Cli.Demo;

/// <summary>
/// <c>backprop demo</c>: replays the original notebook on the embedded digits — the sigmoid, XOR, then the notebook's six
/// MNIST experiments with fewer epochs — prints the accuracies beside the notebook's and draws the figures.
/// <c>backprop notebook</c> is the full replay on the original MNIST.
/// </summary>
internal sealed class NotebookDemo(CliConsole console, string outputDirectory, double epochScale, int threads)
{
    /// <summary>The fraction of the notebook's epochs each experiment runs, and with <c>--quick</c>.</summary>
    public const double FullScale = 0.25;

    public const double QuickScale = 1.0 / 60;

    /// <summary>The notebook's seed of the shuffle and of the starting weights.</summary>
    private const uint NotebookSeed = 42;

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
        _text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hardware: {HardwareInfo.Describe()}; each experiment runs {epochScale:0.###} of the notebook's epochs{(epochScale == QuickScale ? " (--quick)" : string.Empty)}"));

        ShowSigmoid();
        ShowXor(cancellationToken);

        NotebookData<float> data = NotebookData<float>.Split(EmbeddedDigits.LoadAll<float>(PixelScaling.Raw), NotebookSeed, 0, "the embedded digits", NotebookExperiment.All[0].Recipe.BatchCount);
        _text.WriteLine();
        _text.WriteLine("3. Handwritten digits: the notebook's six experiments");
        _text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   The notebook shuffles MNIST's 60,000 training digits with seed 42 and holds out the first {NotebookData<float>.TestCount}, training on the other {NotebookTrainCount:N0}."));
        _text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   The embedded set has {data.Train.Count + data.Test.Count:N0} digits, so the same split trains on {data.Train.Count:N0}, for fewer epochs and in float: expect lower accuracies than the notebook's."));

        var replay = new NotebookReplay<float>(data, NotebookSeed, threads, epochScale);
        IReadOnlyList<ExperimentResult<float>> results = new NotebookDisplay(console, json: false)
            .Run<float>((progress, finished) => replay.RunAll(NotebookExperiment.All, progress, finished, cancellationToken));

        ShowResults(data, results);
        DrawDigitFigures(data, results);
        _text.WriteLine();
        _text.WriteLine($"Figures in {Path.GetFullPath(outputDirectory)}: {string.Join(", ", DemoPlots.Files)}");
        _text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"demo took {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s"));
        return ExitCodes.Success;
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

    private void ShowResults(NotebookData<float> data, IReadOnlyList<ExperimentResult<float>> results)
    {
        _text.WriteLine();
        NotebookReport.WriteTable(_out, results);
        NotebookReport.WriteLegend(_text, data.Test.Count);
        _text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The notebook trained on {NotebookTrainCount:N0} MNIST digits for the epochs it names; here {data.Train.Count:N0} embedded digits for the epochs above, in float."));
        _text.WriteLine("For the notebook's own settings on the original MNIST: backprop notebook (after backprop data fetch mnist).");

        ExperimentResult<float> raw = results[0], standard = results[1], deep = results[^1];
        bool standardisingHelps = standard.TestAccuracy > raw.TestAccuracy;
        bool deepIsBest = results.All(r => deep.TestAccuracy >= r.TestAccuracy);
        _text.WriteLine("Trends:");
        _text.WriteLine($"   standardising helps: {Format.Percent(raw.TestAccuracy)} raw → {Format.Percent(standard.TestAccuracy)} standardised: {Verdict(standardisingHelps)}");
        _text.WriteLine($"   the deep network is best: {Format.Percent(deep.TestAccuracy)} against at most {Format.Percent(results.SkipLast(1).Max(r => r.TestAccuracy))}: {Verdict(deepIsBest)}");
    }

    private static string Verdict(bool holds) => holds ? "holds" : "does not hold on this short run (backprop notebook trains as the notebook did)";

    private void DrawDigitFigures(NotebookData<float> data, IReadOnlyList<ExperimentResult<float>> results)
    {
        MlpClassifier<float> deep = results[^1].Model;
        Dataset<float> test = data.Test;
        Matrix<float> testStandard = data.TestStandardized;
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
        DemoPlots.Errors(
            Path.Combine(outputDirectory, DemoPlots.ErrorFile),
            [.. results.Select(r => new DigitRun($"{r.Experiment.Number}: {r.Experiment.Recipe.HiddenText}", r.Experiment.Recipe.InputText, r.FirstEpoch, [.. r.History.Select(m => m.DataLoss)]))]);

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
