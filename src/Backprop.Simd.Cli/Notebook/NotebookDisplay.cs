using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Output;
using Spectre.Console;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>
/// The replay's progress: on a terminal a bar over the whole replay (experiment, epoch, error, time left, weighted by
/// each experiment's work), elsewhere one line per finished experiment; for <c>--json</c> each experiment's object as
/// soon as it is scored, and nothing else.
/// </summary>
internal sealed class NotebookDisplay(CliConsole console, bool json)
{
    /// <summary>Runs <paramref name="replay"/>, giving it the progress sinks this display wants.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="replay">Runs the experiments: (per-epoch progress, per-experiment results) → the results.</param>
    /// <returns>What <paramref name="replay"/> returned.</returns>
    public IReadOnlyList<ExperimentResult<T>> Run<T>(Func<IProgress<ReplayProgress>?, IProgress<ExperimentResult<T>>?, IReadOnlyList<ExperimentResult<T>>> replay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (json)
        {
            return replay(null, new CallbackProgress<ExperimentResult<T>>(r => NotebookReport.WriteJson(console.Out, r)));
        }

        var finished = new CallbackProgress<ExperimentResult<T>>(r => console.Spectre.WriteLine(Describe(r)));
        if (!console.IsTerminal)
        {
            return replay(null, finished);
        }

        IReadOnlyList<ExperimentResult<T>> results = [];
        console.Spectre.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("starting", maxValue: 1);
                results = replay(
                    new CallbackProgress<ReplayProgress>(p =>
                    {
                        task.MaxValue = p.WorkTotal;
                        task.Value = p.WorkDone;
                        task.Description = Markup.Escape(string.Create(
                            CultureInfo.InvariantCulture,
                            $"experiment {p.Experiment.Number}/{NotebookExperiment.All.Count}: epoch {p.Epoch}/{p.Epochs}, error {p.Error:G5}"));
                    }),
                    finished);
            });
        return results;
    }

    private static string Describe<T>(ExperimentResult<T> result)
        where T : unmanaged, IFloatingPointIeee754<T> => string.Create(
            CultureInfo.InvariantCulture,
            $"experiment {result.Experiment.Number} ({result.Experiment.Title}, {result.Epochs} epochs): test {Format.Percent(result.TestAccuracy)}, notebook {Format.Percent(result.Experiment.PublishedTestAccuracy)} ({result.Seconds:F1} s)");
}
