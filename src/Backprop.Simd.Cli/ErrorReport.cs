using System.Text.RegularExpressions;

namespace Backprop.Simd.Cli;

/// <summary>Turns an exception into one line on stderr and an exit code; no stack traces.</summary>
internal static partial class ErrorReport
{
    /// <summary>Whether the exception is the user's to fix (exit code 2) rather than a failure of the tool (1).</summary>
    public static bool IsUserError(Exception exception) => exception is InvalidDataException
        or FileNotFoundException
        or DirectoryNotFoundException
        or ArgumentException
        or NotSupportedException
        or UnauthorizedAccessException;

    /// <summary>Writes the line and returns the exit code.</summary>
    public static int Report(CliConsole console, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            console.Error.WriteLine("backprop: cancelled.");
            return ExitCodes.Cancelled;
        }

        if (IsUserError(exception))
        {
            return Usage(console, exception.Message);
        }

        console.Error.WriteLine($"backprop: error: {OneLine(exception.Message)}");
        return ExitCodes.Failure;
    }

    /// <summary>Writes "backprop: MESSAGE" and returns <see cref="ExitCodes.UsageError"/>.</summary>
    public static int Usage(CliConsole console, string message)
    {
        console.Error.WriteLine($"backprop: {OneLine(message)}");
        return ExitCodes.UsageError;
    }

    /// <summary>
    /// A parse error as the user should read it: System.CommandLine names the .NET type an argument failed to convert
    /// to ("as expected type 'System.Nullable`1[System.Int32]'"), which says nothing to someone at a shell.
    /// </summary>
    public static string ParseError(string message) => ExpectedType().Replace(message, match => "as " + Describe(match.Groups[1].Value));

    private static string Describe(string type) => type switch
    {
        _ when type.Contains("UInt64", StringComparison.Ordinal) => $"a whole number from 0 to {ulong.MaxValue}",
        _ when type.Contains("Int32", StringComparison.Ordinal) => $"a whole number from {int.MinValue} to {int.MaxValue}",
        _ when type.Contains("Double", StringComparison.Ordinal) => "a number",
        _ => $"a value of type {type}",
    };

    [GeneratedRegex("as expected type '([^']*)'")]
    private static partial Regex ExpectedType();

    /// <summary>Joins a multi-line message (the data set locator lists where it looked, line by line) into one line.</summary>
    public static string OneLine(string message)
    {
        string[] lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var joined = new System.Text.StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            // A line that introduces a list ("Must be one of:") runs on into it; list items are separated by "; ".
            joined.Append(i == 0 ? string.Empty : lines[i - 1].EndsWith(':') ? " " : "; ").Append(lines[i]);
        }

        return joined.ToString();
    }
}
