using System.CommandLine;
using System.Runtime.InteropServices;
using Backprop.Simd.Cli.Output;

namespace Backprop.Simd.Cli;

/// <summary>The entry point of the <c>backprop</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line on the process's console; Ctrl+C cancels the running command.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> Main(string[] args)
    {
        // First, before anything initialises the console: with descriptor 1 closed that throws.
        TextWriter output;
        try
        {
            output = StandardOutput.OpenWriter();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"backprop: error: {StandardOutput.ClosedMessage}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        using var cancellation = new CancellationTokenSource();

        // The first Ctrl+C asks the command to stop cleanly (training saves a checkpoint); a second one kills.
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;

        // SIGTERM (kill, a service manager, a CI timeout) stops as the first Ctrl+C does, so that a download or a
        // model file is not left half-written; a second one terminates.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        });
        try
        {
            var console = new CliConsole(output, Console.Error, isTerminal: !Console.IsOutputRedirected);
            return await RunAsync(args, console, cancellation.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>
    /// Runs the command line in-process with the given writers, as scripts and tests do: nothing is drawn live,
    /// tables and plain lines go to <paramref name="output"/>, one-line errors to <paramref name="error"/>.
    /// </summary>
    /// <param name="args">The arguments, as after <c>backprop</c>.</param>
    /// <param name="output">Receives the command's output.</param>
    /// <param name="error">Receives error lines.</param>
    /// <param name="cancellationToken">Stops the command as Ctrl+C does.</param>
    /// <returns>The exit code: 0 success, 1 failure, 2 user error, 130 cancelled.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliConsole(output, error, isTerminal: false), cancellationToken);

    internal static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        RootCommand root = CliApplication.CreateRootCommand(console);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            return ErrorReport.Usage(console, ErrorReport.ParseError(parsed.Errors[0].Message));
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,

            // Main handles Ctrl+C itself, so that the first press cancels and the command can save its work.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            return ErrorReport.Report(console, exception, cancellationToken);
        }
    }
}
