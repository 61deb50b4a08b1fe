using System.Globalization;

namespace Backprop.Simd.Cli.Output;

/// <summary>Numbers as the tool prints them, independent of the machine's culture.</summary>
internal static class Format
{
    /// <summary>A fraction as a percentage with two decimals, "95.20%"; "n/a" for NaN.</summary>
    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "n/a" : (fraction * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";

    /// <summary>A count and its noun, singular for one: "1 epoch", "2 epochs".</summary>
    public static string Count(long count, string noun) =>
        count.ToString("N0", CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : noun + "s");

    /// <summary>A number with <paramref name="decimals"/> decimals.</summary>
    public static string Fixed(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
