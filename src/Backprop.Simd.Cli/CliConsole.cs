using Spectre.Console;

namespace Backprop.Simd.Cli;

/// <summary>Where a command writes: its output and error writers, and whether the output is a terminal (live displays, colour).</summary>
internal sealed class CliConsole
{
    /// <summary>Tables wider than this wrap; a redirected output has no width of its own.</summary>
    private const int RedirectedWidth = 120;

    public CliConsole(TextWriter output, TextWriter error, bool isTerminal)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Out = output;
        Error = error;
        IsTerminal = isTerminal;
        Spectre = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        if (!isTerminal)
        {
            Spectre.Profile.Width = RedirectedWidth;
        }
    }

    /// <summary>A terminal drawn by <paramref name="spectre"/> (a console of a fixed width in tests), with <paramref name="output"/> for plain lines.</summary>
    internal CliConsole(IAnsiConsole spectre, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(spectre);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Out = output;
        Error = error;
        IsTerminal = true;
        Spectre = spectre;
    }

    /// <summary>The command's output.</summary>
    public TextWriter Out { get; }

    /// <summary>Error lines.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether <see cref="Out"/> is an interactive terminal: live progress is drawn only then.</summary>
    public bool IsTerminal { get; }

    /// <summary>Spectre.Console over <see cref="Out"/>, for tables and progress (plain text when redirected).</summary>
    public IAnsiConsole Spectre { get; }
}
