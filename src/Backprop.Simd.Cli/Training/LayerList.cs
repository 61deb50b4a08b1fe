using System.Globalization;

namespace Backprop.Simd.Cli.Training;

/// <summary>Reads a list of sizes such as <c>--layers</c>: positive integers separated by commas ("256,128"), or "none" for an empty list.</summary>
internal static class LayerList
{
    /// <summary>Parses the sizes.</summary>
    /// <param name="text">The option's value.</param>
    /// <param name="option">The option, for the error message.</param>
    /// <returns>The sizes.</returns>
    /// <exception cref="ArgumentException">A size is not a positive integer.</exception>
    public static int[] Parse(string text, string option = "--layers")
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Trim() == "none")
        {
            return [];
        }

        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] <= 0)
            {
                throw new ArgumentException($"{option} '{text}': '{parts[i]}' is not a positive integer; give sizes separated by commas, such as 256,128, or none.");
            }
        }

        return widths;
    }

}
