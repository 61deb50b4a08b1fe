using System.Globalization;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>Runs <c>backprop notebook --explain-spikes</c>: experiment 6 and the variants that test the causes of its error spikes.</summary>
internal static class SpikeRunner
{
    /// <summary>A progress line on stderr every this many epochs.</summary>
    private const int ProgressEvery = 25;

    public static int Run(CliConsole console, NotebookSettings settings, CancellationToken cancellationToken)
    {
        NotebookExperiment deep = NotebookExperiment.All.Single(e => e.Number == 6);
        NotebookRecipe published = settings.SpikeEpochs > 0 ? deep.Recipe with { Epochs = settings.SpikeEpochs } : deep.Recipe;
        OutputDirectory.Prepare(settings.OutputDirectory, "--out", SpikePlots.File);
        NotebookData<double> data = NotebookRunner.Load(console, settings, published.BatchCount);
        int batchRows = data.FirstBatchRows(published.BatchCount);
        TextWriter text = settings.Json ? TextWriter.Null : console.Out;
        text.WriteLine("Backprop.Simd reruns the notebook's experiment 6 and changes of it that test why its error spikes.");
        text.WriteLine(data.Description + ".");
        if (settings.IsQuickCheck || settings.SpikeEpochs > 0)
        {
            text.WriteLine("Shortened (--limit, --epochs or --epochs-scale): not the notebook's settings.");
        }

        // The variants train side by side, one thread each: their weights are bitwise the same for any thread count.
        var replay = new NotebookReplay<double>(data, settings.Seed, 1, settings.EpochScale);
        var study = new SpikeStudy(data, replay, settings.SharpnessEvery);
        IReadOnlyList<SpikeVariant> variants = SpikeVariant.Of(published, batchRows);
        var results = new SpikeResult[variants.Count];
        Parallel.For(0, variants.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism(settings.Threads, variants.Count), CancellationToken = cancellationToken }, v =>
        {
            SpikeVariant variant = variants[v];
            int epochs = replay.ScaledEpochs(variant.Recipe.Epochs);
            var progress = new CallbackProgress<EpochMetrics>(m =>
            {
                if (m.Epoch % ProgressEvery == 0)
                {
                    console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"explain-spikes: {variant.Name}, epoch {m.Epoch}/{epochs}, error {m.Loss * variant.ObjectiveScale:G5}"));
                }
            });
            results[v] = study.Run(variant, progress, cancellationToken);
        });

        foreach (SpikeResult result in results)
        {
            if (settings.Json)
            {
                SpikeReport.WriteJson(console.Out, result);
            }
            else
            {
                text.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{result.Variant.Name} ({result.Variant.Change}): {result.SpikeEpochs.Length} error spikes and {result.BurstEpochs.Length} gradient bursts in {result.Errors.Length} epochs, largest lr·λ/2 {result.LargestRatio:F2}, final test {Format.Percent(result.FinalTestAccuracy)} ({result.Seconds:F1} s)"));
            }
        }

        SpikePlots.Draw(Path.Combine(settings.OutputDirectory, SpikePlots.File), results, batchRows);
        if (settings.Json)
        {
            return ExitCodes.Success;
        }

        text.WriteLine();
        SpikeReport.WriteTable(console.Spectre, results);
        SpikeReport.WriteLegend(text, batchRows);
        SpikeReport.WriteFindings(text, results);
        text.WriteLine($"Picture: {Path.GetFullPath(Path.Combine(settings.OutputDirectory, SpikePlots.File))}.");
        return ExitCodes.Success;
    }

    /// <summary>How many variants train at once: --threads, 0 for one per variant.</summary>
    private static int Parallelism(int threads, int variants) => threads == 0 ? variants : Math.Min(threads, variants);
}
