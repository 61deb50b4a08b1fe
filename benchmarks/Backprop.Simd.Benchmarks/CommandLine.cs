using System.Globalization;

namespace Backprop.Simd.Benchmarks;

/// <summary>The tiny <c>--name value</c> / <c>--flag</c> parser of the quick entry points.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public static CommandLine Parse(string[] args)
    {
        var result = new CommandLine();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            string name = args[i][2..];
            string? value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            result._values[name] = value;
        }

        return result;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string Get(string name, string fallback) => _values.TryGetValue(name, out string? v) && v is not null ? v : fallback;

    public int GetInt(string name, int fallback) =>
        _values.TryGetValue(name, out string? v) && v is not null ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
