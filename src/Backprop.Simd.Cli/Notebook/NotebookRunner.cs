using System.Diagnostics;
using System.Globalization;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Data;
using Backprop.Simd.Models;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>Runs <c>backprop notebook</c>: find MNIST, split it as the notebook did, replay the six experiments, report and draw.</summary>
internal static class NotebookRunner
{
    /// <summary>The notebook shows test digit 1 as a right prediction and digit 31 as a wrong one, both of experiment 1's model.</summary>
    private static readonly int[] s_shownDigits = [1, 31];

    public static int Run(CliConsole console, NotebookSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int batches = NotebookExperiment.All[0].Recipe.BatchCount;
        if (settings.Limit is > 0 and var limit && limit < batches)
        {
            throw new ArgumentException($"--limit must be 0 (all) or at least {batches}, one digit per minibatch of the notebook's {batches}, not {limit}.");
        }

        if (settings.SpikeEpochs > 0 && !settings.ExplainSpikes)
        {
            throw new ArgumentException("--epochs applies to --explain-spikes only; the replay runs each experiment's own epochs (--epochs-scale shortens them).");
        }

        if (settings.ExplainSpikes)
        {
            return SpikeRunner.Run(console, settings, cancellationToken);
        }

        string[] files = [.. NotebookExperiment.All.Select(e => NotebookPlots.ErrorFile(e.Number)), .. s_shownDigits.Select(NotebookPlots.DigitFile)];
        OutputDirectory.Prepare(settings.OutputDirectory, "--out", files);
        long start = Stopwatch.GetTimestamp();
        NotebookData<double> data = Load(console, settings, batches);
        TextWriter text = settings.Json ? TextWriter.Null : console.Out;
        text.WriteLine("Backprop.Simd replays the notebook's six MNIST experiments with its exact settings, in double precision.");
        text.WriteLine(data.Description + ".");
        if (settings.IsQuickCheck)
        {
            text.WriteLine("Quick check (--limit or --epochs-scale): these are not the notebook's settings, so the differences below mean nothing.");
        }

        var replay = new NotebookReplay<double>(data, settings.Seed, settings.Threads, settings.EpochScale);
        IReadOnlyList<ExperimentResult<double>> results = new NotebookDisplay(console, settings.Json)
            .Run<double>((progress, finished) => replay.RunAll(NotebookExperiment.All, progress, finished, cancellationToken));

        foreach (ExperimentResult<double> result in results)
        {
            NotebookPlots.ErrorCurve(Path.Combine(settings.OutputDirectory, NotebookPlots.ErrorFile(result.Experiment.Number)), result);
        }

        DrawDigits(data, results[0].Model, settings.OutputDirectory);
        if (settings.Json)
        {
            return ExitCodes.Success;
        }

        text.WriteLine();
        NotebookReport.WriteTable(console.Spectre, results);
        NotebookReport.WriteLegend(text, NotebookData<double>.TestCount);
        text.WriteLine("Experiments 2, 5 and 6 replay a quirk of the notebook: sklearn.preprocessing.scale standardised the test digits with their own mean and deviation instead of the training set's.");
        text.WriteLine($"Pictures in {Path.GetFullPath(settings.OutputDirectory)}: {string.Join(", ", files)}. The error is the cost SGD descends (cross-entropy summed over a minibatch's digits and outputs, plus the L2 term), averaged over each epoch's minibatches as the notebook's error_ averages its own measure.");
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replay took {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s"));
        return ExitCodes.Success;
    }

    /// <summary>Finds MNIST as <paramref name="settings"/> say, warns when its training files are not the original ones, and splits it as the notebook did.</summary>
    public static NotebookData<double> Load(CliConsole console, NotebookSettings settings, int batches)
    {
        DatasetLocation location;
        try
        {
            location = Mnist.Locate(settings.DataDirectory);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"{e.Message} With this tool: backprop data fetch mnist, or --data DIR.", e);
        }

        // The replay reads only the training file; one that is not MNIST's (Fashion-MNIST has the same names) is
        // replayed all the same, since a quick check needs no more, but the comparison with the notebook is void.
        foreach (string name in (string[])[Mnist.TrainImages, Mnist.TrainLabels])
        {
            string path = location.GetPath(name);
            if (!DatasetVerifier.TryVerify(path, Mnist.Manifest.GetFile(name), out string? problem))
            {
                console.Error.WriteLine($"backprop: warning: '{path}' is not the original MNIST file ({problem}); the accuracies cannot be compared with the notebook's.");
            }
        }

        Dataset<double> all = Mnist.LoadTrain<double>(location, PixelScaling.Raw);
        return NotebookData<double>.Split(all, settings.Seed, settings.Limit, $"MNIST in {location.Directory}", batches);
    }

    /// <summary>The notebook's two example digits with experiment 1's class outputs, each titled with what happens to it in this replay.</summary>
    private static void DrawDigits(NotebookData<double> data, MlpClassifier<double> model, string directory)
    {
        Span<double> outputs = stackalloc double[data.Test.ClassCount];
        for (int k = 0; k < s_shownDigits.Length; k++)
        {
            int index = s_shownDigits[k];
            ReadOnlySpan<double> pixels = data.Test.Features.Row(index);
            model.Network.Predict(pixels, outputs);
            for (int c = 0; c < outputs.Length; c++)
            {
                outputs[c] = 1 / (1 + Math.Exp(-outputs[c]));
            }

            int predicted = model.Predict(pixels);
            int label = data.Test.Labels[index];
            string title = string.Create(CultureInfo.InvariantCulture, $"test digit {index}, a {label}: the notebook's model was {(k == 0 ? "right" : "wrong")}");
            string outcome = string.Create(CultureInfo.InvariantCulture, $"experiment 1 here predicts {predicted}: {(predicted == label ? "right" : "wrong")}");
            float[] image = [.. data.Test.Features.Row(index).ToArray().Select(p => (float)p)];
            NotebookPlots.Digit(Path.Combine(directory, NotebookPlots.DigitFile(index)), title, outcome, index, image, label, outputs.ToArray());
        }
    }
}
