using System.Diagnostics;
using System.Globalization;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Training;
using Spectre.Console;

namespace Backprop.Simd.Cli.Training;

/// <summary>
/// A terminal: a Spectre.Console progress bar over the whole run (epoch, batch, loss, accuracy, throughput, ETA),
/// with one line printed above it per finished epoch.
/// </summary>
internal sealed class LiveTrainingDisplay(IAnsiConsole console, int firstEpoch, int epochs) : TrainingDisplay
{
    /// <summary>The display redraws ten times a second; updating the task more often only costs the training time.</summary>
    private static readonly TimeSpan s_updateInterval = TimeSpan.FromMilliseconds(100);

    private ProgressTask? _task;
    private double _accuracy = double.NaN;
    private long _lastUpdate;

    public override void Run(Action train)
    {
        ArgumentNullException.ThrowIfNull(train);
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                _task = context.AddTask("starting", maxValue: epochs);
                train();
                _task.Value = _task.MaxValue;
            });
    }

    public override void OnBatch(BatchProgress progress)
    {
        bool last = progress.Batch == progress.BatchCount;
        if (_task is null || (!last && Stopwatch.GetElapsedTime(_lastUpdate) < s_updateInterval))
        {
            return;
        }

        _lastUpdate = Stopwatch.GetTimestamp();

        // The ETA column works on the whole run: one unit per minibatch of every epoch.
        _task.MaxValue = (double)epochs * progress.BatchCount;
        _task.Value = ((double)(progress.Epoch - firstEpoch) * progress.BatchCount) + progress.Batch;
        string accuracy = Format.Percent(_accuracy);
        _task.Description = string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {progress.Epoch}/{firstEpoch + epochs - 1}  batch {progress.Batch}/{progress.BatchCount}  loss {progress.Loss:G4}  accuracy {accuracy}  {progress.SamplesPerSecond:N0} samples/s");
    }

    public override void OnEpoch(EpochReport report)
    {
        _accuracy = report.ShownAccuracy;
        string accuracy = double.IsNaN(_accuracy) ? string.Empty : "  accuracy " + Format.Percent(_accuracy);
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]epoch {report.Metrics.Epoch}/{report.TotalEpochs}  loss {report.Metrics.Loss:G6}{accuracy}  {report.Metrics.Seconds:F2} s[/]");
    }

    public override void Note(string text) => console.WriteLine(text);
}
