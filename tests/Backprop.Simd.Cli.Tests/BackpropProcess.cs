using System.Diagnostics;

namespace Backprop.Simd.Cli.Tests;

/// <summary>The tool run as a child process from the built backprop.dll, for what needs a process of its own: a kill, a closed stdout, dropped privileges.</summary>
internal static class BackpropProcess
{
    /// <summary>A wrapper that runs the command as root without the capabilities that let root write into a read-only directory.</summary>
    public static readonly string[] WithoutRootOverride = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"];

    /// <summary>A wrapper that runs the command with its standard output closed.</summary>
    public static readonly string[] WithStdoutClosed = ["sh", "-c", "exec \"$0\" \"$@\" >&-"];

    /// <summary>Starts <c>dotnet backprop.dll ARGS</c>, behind <paramref name="wrapper"/> if given, with both outputs captured.</summary>
    public static Process Start(IEnumerable<string> args, IReadOnlyList<string>? wrapper = null)
    {
        string[] command = [.. wrapper ?? [], Dotnet, Path.Combine(AppContext.BaseDirectory, "backprop.dll"), .. args];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start.");
    }

    /// <summary>Runs the tool to its end (at most two minutes) and returns what it printed.</summary>
    public static async Task<CliRun> RunAsync(IEnumerable<string> args, IReadOnlyList<string>? wrapper = null)
    {
        using Process process = Start(args, wrapper);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliRun(process.ExitCode, await output, await error);
    }

    /// <summary>The dotnet host that runs the tests (the CLI names it in DOTNET_HOST_PATH), else the one on the PATH.</summary>
    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
