using System.Text.Json;
using Backprop.Simd.Cli;

namespace Backprop.Simd.Cli.Tests;

/// <summary>The outcome of one in-process run of <c>backprop</c>.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the command line with string writers.</summary>
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await Program.RunAsync(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>The non-empty lines of the output.</summary>
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The non-empty lines of stderr.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Every output line parsed as a JSON object (fails the test on a line that is not one).</summary>
    public JsonElement[] JsonLines() => [.. OutputLines.Select(line =>
    {
        using JsonDocument document = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    })];

    /// <summary>The output's JSON objects whose "type" is <paramref name="type"/> ("epoch", "summary", ...).</summary>
    public JsonElement[] JsonLines(string type) => [.. JsonLines().Where(o => o.TryGetProperty("type", out JsonElement t) && t.GetString() == type)];

    /// <summary>The last JSON object of the output, which every --json command ends with: its summary.</summary>
    public JsonElement JsonSummary()
    {
        JsonElement last = JsonLines()[^1];
        Assert.Equal("summary", last.GetProperty("type").GetString());
        return last;
    }

    /// <summary>Asserts a user error: exit code 2, nothing on stdout, one line on stderr containing <paramref name="expected"/>.</summary>
    public void AssertUserError(string expected)
    {
        Assert.True(ExitCode == ExitCodes.UsageError, $"exit code {ExitCode}, expected 2; stderr: {Error}");
        string line = Assert.Single(ErrorLines);
        Assert.StartsWith("backprop: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Error, StringComparison.Ordinal);
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
