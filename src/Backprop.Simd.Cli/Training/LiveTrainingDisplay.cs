using System.Diagnostics;
using System.Globalization;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Training;
using Spectre.Console;

namespace Backprop.Simd.Cli.Training;

/// <summary>
/// A terminal: a live two-line status (<see cref="TrainingStatus"/>) redrawn as minibatches finish, sized to the
/// terminal's width at every redraw, with one line printed above it per finished epoch. After an epoch the status
/// shows that epoch's loss and accuracy, so the last frame agrees with the last epoch's line.
/// </summary>
internal sealed class LiveTrainingDisplay(IAnsiConsole console, int firstEpoch, int epochs) : TrainingDisplay
{
    /// <summary>The display redraws ten times a second; redrawing more often only costs the training time.</summary>
    private static readonly TimeSpan s_updateInterval = TimeSpan.FromMilliseconds(100);

    private LiveDisplayContext? _context;
    private TrainingStatus _status = new(firstEpoch, firstEpoch + epochs - 1, 0, 0, double.NaN, double.NaN, 0, 0, TimeSpan.Zero);
    private long _start;
    private long _lastUpdate;

    /// <summary>The status as last drawn.</summary>
    public TrainingStatus Status => _status;

    public override void Run(Action train)
    {
        ArgumentNullException.ThrowIfNull(train);
        _start = Stopwatch.GetTimestamp();
        console.Live(Draw())
            .AutoClear(false)
            .Overflow(VerticalOverflow.Visible)
            .Start(context =>
            {
                _context = context;
                try
                {
                    train();
                }
                finally
                {
                    Update(_status with { Finished = true });
                    _context = null;
                }
            });
    }

    public override void OnBatch(BatchProgress progress)
    {
        bool last = progress.Batch == progress.BatchCount;
        if (!last && Stopwatch.GetElapsedTime(_lastUpdate) < s_updateInterval)
        {
            return;
        }

        double done = ((double)(progress.Epoch - firstEpoch) * progress.BatchCount) + progress.Batch;
        Update(_status with
        {
            Epoch = progress.Epoch,
            Batch = progress.Batch,
            BatchCount = progress.BatchCount,
            Loss = progress.Loss,
            SamplesPerSecond = progress.SamplesPerSecond,
            Fraction = done / ((double)epochs * progress.BatchCount),
        });
    }

    public override void OnEpoch(EpochReport report)
    {
        EpochMetrics metrics = report.Metrics;
        string accuracy = double.IsNaN(report.ShownAccuracy) ? string.Empty : "  accuracy " + Format.Percent(report.ShownAccuracy);

        // The status changes before the line is written, so that no frame below the line shows the epoch before it.
        SetStatus(_status with
        {
            Epoch = metrics.Epoch,
            Batch = _status.BatchCount,
            Loss = metrics.Loss,
            Accuracy = report.ShownAccuracy,
            Fraction = (double)(metrics.Epoch - firstEpoch + 1) / epochs,
        });
        WriteAbove(() => console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]epoch {metrics.Epoch}/{report.TotalEpochs}  loss {metrics.Loss:G6}{accuracy}  {metrics.Seconds:F2} s[/]"));
    }

    public override void Note(string text) => WriteAbove(() => console.WriteLine(text));

    /// <summary>
    /// Writes lines above the status: the status is blanked first (a live display pads its lines with spaces to the
    /// widest it has drawn), so that a line shorter than the status leaves none of it behind.
    /// </summary>
    private void WriteAbove(Action write)
    {
        if (_context is null)
        {
            write();
            return;
        }

        _context.UpdateTarget(Text.Empty);
        _context.Refresh();
        write();
        _context.UpdateTarget(Draw());
        _context.Refresh();
    }

    private void Update(TrainingStatus status)
    {
        SetStatus(status);
        if (_context is not null)
        {
            _context.UpdateTarget(Draw());
            _context.Refresh();
        }
    }

    private void SetStatus(TrainingStatus status)
    {
        _lastUpdate = Stopwatch.GetTimestamp();
        _status = status with { Elapsed = _start == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_start) };
    }

    private Spectre.Console.Rendering.IRenderable Draw() => _status.Render(console.Profile.Width, console.Profile.Capabilities.Unicode);
}
