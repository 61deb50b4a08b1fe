using System.Globalization;
using Backprop.Simd.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Backprop.Simd.Cli.Training;

/// <summary>
/// What the live display shows while <c>train</c> runs, drawn in two lines that fit any width from about 40 columns:
/// the figures (epoch, batch, loss, accuracy, samples/s; the least important left out when the line would not fit)
/// and a bar with the percentage and the time left, the bar taking whatever width remains.
/// </summary>
/// <param name="Epoch">The epoch in progress or just ended.</param>
/// <param name="LastEpoch">The last epoch of the run.</param>
/// <param name="Batch">The minibatch just finished, from 1.</param>
/// <param name="BatchCount">Minibatches per epoch.</param>
/// <param name="Loss">The loss to show: the last minibatch's, or the ended epoch's.</param>
/// <param name="Accuracy">The accuracy of the last ended epoch; NaN before the first or without a test or validation set.</param>
/// <param name="SamplesPerSecond">The throughput.</param>
/// <param name="Fraction">The fraction of the run done, in [0, 1].</param>
/// <param name="Elapsed">The time since the run started.</param>
/// <param name="Finished">Whether the run has ended: the time shown is then what it took, not what is left.</param>
internal readonly record struct TrainingStatus(int Epoch, int LastEpoch, int Batch, int BatchCount, double Loss, double Accuracy, double SamplesPerSecond, double Fraction, TimeSpan Elapsed, bool Finished = false)
{
    /// <summary>The narrowest bar drawn; below it the terminal is too narrow for a bar to mean anything.</summary>
    private const int MinimumBarWidth = 10;

    /// <summary>Terminals wrap a line that fills the last column on some emulators; one column is left free.</summary>
    private const int Margin = 1;

    /// <summary>The two lines for a terminal <paramref name="width"/> columns wide, the bar green up to the fraction done.</summary>
    /// <param name="width">The terminal's width.</param>
    /// <param name="unicode">Whether the terminal shows box-drawing characters (else the bar is ASCII).</param>
    public IRenderable Render(int width, bool unicode)
    {
        (string figures, string done, string remaining, string after) = Layout(width, unicode);
        return new Rows(new Text(figures), new Markup($"[green]{done}[/][grey]{remaining}[/]{Markup.Escape(after)}"));
    }

    /// <summary>The two lines as plain text, as <see cref="Render"/> draws them without colour.</summary>
    /// <param name="width">The terminal's width.</param>
    /// <param name="unicode">Whether the terminal shows box-drawing characters.</param>
    public (string Figures, string Bar) Lines(int width, bool unicode)
    {
        (string figures, string done, string remaining, string after) = Layout(width, unicode);
        return (figures, done + remaining + after);
    }

    private (string Figures, string Done, string Remaining, string After) Layout(int width, bool unicode)
    {
        int room = Math.Max(width - Margin, 1);
        CultureInfo c = CultureInfo.InvariantCulture;

        // In reading order, each with its rank: the line keeps the best-ranked fields that fit.
        (string Text, int Rank)[] fields =
        [
            (string.Create(c, $"epoch {Epoch}/{LastEpoch}"), 0),
            (string.Create(c, $"batch {Batch}/{BatchCount}"), 3),
            (string.Create(c, $"loss {Loss:G4}"), 1),
            (double.IsNaN(Accuracy) ? string.Empty : "accuracy " + Format.Percent(Accuracy), 2),
            (string.Create(c, $"{SamplesPerSecond:N0} samples/s"), 4),
        ];
        string Join(int ranks) => string.Join("  ", fields.Where(f => f.Rank < ranks && f.Text.Length > 0).Select(f => f.Text));
        string figures = Join(fields.Length);
        for (int ranks = fields.Length - 1; figures.Length > room && ranks >= 1; ranks--)
        {
            figures = Join(ranks);
        }

        double fraction = Math.Clamp(Fraction, 0, 1);
        string percent = string.Create(c, $"{Math.Floor(fraction * 100),3:F0}%");
        string time = Finished ? "took " + Clock(Elapsed) : fraction <= 0 ? "ETA --:--" : "ETA " + Clock(Elapsed * ((1 - fraction) / fraction));
        string after = $"  {percent}  {time}";
        if (room - after.Length < MinimumBarWidth)
        {
            after = "  " + percent;
        }

        int barWidth = Math.Max(room - after.Length, 1);
        int filled = (int)Math.Round(fraction * barWidth);
        char full = unicode ? '━' : '#', empty = unicode ? '━' : '-';
        return (figures, new string(full, filled), new string(empty, barWidth - filled), after);
    }

    /// <summary>m:ss, or h:mm:ss from an hour.</summary>
    private static string Clock(TimeSpan time) => time.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{time.Minutes}:{time.Seconds:00}");
}
