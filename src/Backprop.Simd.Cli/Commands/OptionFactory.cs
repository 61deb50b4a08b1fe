using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Backprop.Simd.Cli.Commands;

/// <summary>Options with their checks, so that a bad value is a parse error (exit code 2) naming the option.</summary>
internal static class OptionFactory
{
    /// <summary>A string option that accepts only <paramref name="values"/>.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] values)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = string.Join('|', values),
        };
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    /// <summary>An integer option that must be at least <paramref name="minimum"/> and at most <paramref name="maximum"/>.</summary>
    public static Option<int> Integer(string name, string description, int defaultValue, int minimum, int maximum = int.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, defaultValue, (string text, out int value) =>
            !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) ? $"{name} must be an integer, not '{text}'."
            : value < minimum ? $"{name} must be at least {minimum}, not {value}."
            : value > maximum ? $"{name} must be at most {maximum}, not {value}."
            : null),
    };

    /// <summary>A finite number option in [<paramref name="minimum"/>, <paramref name="maximum"/>), or (minimum, maximum) when <paramref name="exclusiveMinimum"/>.</summary>
    public static Option<double> Number(string name, string description, double defaultValue, double minimum, double maximum = double.PositiveInfinity, bool exclusiveMinimum = false)
    {
        string range = string.Create(CultureInfo.InvariantCulture, $"{(exclusiveMinimum ? "(" : "[")}{minimum}, {(double.IsPositiveInfinity(maximum) ? "∞" : maximum.ToString(CultureInfo.InvariantCulture))})");
        return new(name)
        {
            Description = description,
            HelpName = "X",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => Parse(result, defaultValue, (string text, out double value) =>
            {
                bool number = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
                bool inRange = double.IsFinite(value) && (exclusiveMinimum ? value > minimum : value >= minimum) && value < maximum;
                return number && inRange ? null : $"{name} must be a finite number in {range}, not {text}.";
            }),
        };
    }

    /// <summary>A flag.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>Parses an option's last token with <paramref name="tryParse"/>, which returns null or the error to report.</summary>
    private static T Parse<T>(ArgumentResult result, T defaultValue, TryParse<T> tryParse)
    {
        if (result.Tokens.Count == 0)
        {
            return defaultValue;
        }

        string text = result.Tokens[^1].Value;
        string? error = tryParse(text, out T value);
        if (error is not null)
        {
            result.AddError(error);
        }

        return value;
    }

    /// <summary><c>--dtype f32|f64</c>.</summary>
    public static Option<string> ElementType() => Choice("--dtype", "The floating-point type of the network.", "f32", "f32", "f64");

    /// <summary><c>--threads N</c>: 0 for every processor.</summary>
    public static Option<int> Threads() => Integer("--threads", "The most threads to use; 0 for every processor.", 0, 0);

    /// <summary><c>--json</c>.</summary>
    public static Option<bool> Json(string what) => Flag("--json", $"Print {what} as JSON, one object per line, instead of text.");

    private delegate string? TryParse<T>(string text, out T value);
}
