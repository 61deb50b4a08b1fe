using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Backprop.Simd.Cli.Commands;

/// <summary>
/// An "Examples:" section at the end of each command's <c>--help</c>: System.CommandLine's help has no such section,
/// so the help option's action is wrapped to write it after the usual help.
/// </summary>
internal static class HelpExamples
{
    private static readonly ConditionalWeakTable<Command, Example[]> s_examples = [];

    /// <summary>Records the examples that <paramref name="command"/>'s help shows.</summary>
    /// <returns>The command.</returns>
    public static Command WithExamples(this Command command, params Example[] examples)
    {
        s_examples.AddOrUpdate(command, examples);
        return command;
    }

    /// <summary>The examples recorded for <paramref name="command"/>; empty when none.</summary>
    public static IReadOnlyList<Example> Of(Command command) => s_examples.TryGetValue(command, out Example[]? examples) ? examples : [];

    /// <summary>Makes the help option of <paramref name="root"/> (which applies to every command) write the examples too.</summary>
    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        HelpOption help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ExamplesAction((HelpAction)help.Action!);
    }

    /// <summary>One example: a command line and what it does.</summary>
    /// <param name="CommandLine">The command line, starting with <c>backprop</c>.</param>
    /// <param name="What">What it does, in a sentence.</param>
    internal sealed record Example(string CommandLine, string What);

    private sealed class ExamplesAction(HelpAction help) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int code = help.Invoke(parseResult);
            IReadOnlyList<Example> examples = Of(parseResult.CommandResult.Command);
            if (examples.Count > 0)
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (Example example in examples)
                {
                    output.WriteLine($"  {example.CommandLine}");
                    output.WriteLine($"      {example.What}");
                }

                output.WriteLine();
            }

            return code;
        }
    }
}
