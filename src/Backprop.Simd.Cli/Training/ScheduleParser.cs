using System.Globalization;
using Backprop.Simd.Optimizers;

namespace Backprop.Simd.Cli.Training;

/// <summary>
/// Reads <c>--schedule</c>: <c>constant</c>, <c>step:EPOCHS:GAMMA</c> (multiply by GAMMA every EPOCHS epochs),
/// <c>exponential:GAMMA</c> (every epoch) or <c>cosine[:MIN]</c> (cosine decay over the run's epochs to MIN times the rate).
/// </summary>
internal static class ScheduleParser
{
    public const string Syntax = "constant | step:EPOCHS:GAMMA | exponential:GAMMA | cosine[:MIN]";

    /// <summary>Parses a schedule.</summary>
    /// <param name="text">The option's value.</param>
    /// <param name="epochs">The run's epochs (the cosine's length).</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentException">The text does not follow the syntax; the message shows it.</exception>
    public static LearningRateSchedule Parse(string text, int epochs)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':');
        try
        {
            return (parts[0], parts.Length) switch
            {
                ("constant", 1) => LearningRateSchedule.Constant,
                ("step", 3) => LearningRateSchedule.Step(int.Parse(parts[1], CultureInfo.InvariantCulture), Number(parts[2])),
                ("exponential", 2) => LearningRateSchedule.Exponential(Number(parts[1])),
                ("cosine", 1) => LearningRateSchedule.Cosine(Math.Max(1, epochs)),
                ("cosine", 2) => LearningRateSchedule.Cosine(Math.Max(1, epochs), Number(parts[1])),
                _ => throw new FormatException(),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            throw new ArgumentException($"--schedule '{text}' is not one of: {Syntax}{(e is ArgumentOutOfRangeException ? $" ({e.Message.Split('\n')[0]})" : string.Empty)}.", e);
        }
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
