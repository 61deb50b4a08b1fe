using System.CommandLine;

namespace Backprop.Simd.Cli.Commands;

/// <summary>
/// The one-letter aliases of the common options, given to an option of that name in every command, so that a letter
/// means the same option wherever it is accepted.
/// </summary>
internal static class ShortAliases
{
    /// <summary>Each option's alias.</summary>
    public static IReadOnlyDictionary<string, string> ByOption { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--epochs"] = "-e",
        ["--out"] = "-o",
        ["--model"] = "-m",
        ["--data"] = "-d",
        ["--lr"] = "-l",
        ["--batch-size"] = "-b",
        ["--threads"] = "-t",
        ["--seed"] = "-s",
    };

    /// <summary>Adds the aliases to the options of <paramref name="command"/> and of every command below it.</summary>
    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (Option option in command.Options)
        {
            if (ByOption.TryGetValue(option.Name, out string? alias))
            {
                option.Aliases.Add(alias);
            }
        }

        foreach (Command subcommand in command.Subcommands)
        {
            AddTo(subcommand);
        }
    }
}
