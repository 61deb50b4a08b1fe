using System.CommandLine;
using Backprop.Simd.Cli.Commands;

namespace Backprop.Simd.Cli.Tests;

/// <summary>The short aliases (one meaning per letter, in every command) and the examples in each command's help.</summary>
public sealed class CommandLineHelpTests
{
    private static readonly RootCommand s_root = CliApplication.CreateRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null, isTerminal: false));

    private static IEnumerable<Command> AllCommands(Command command) => [command, .. command.Subcommands.SelectMany(AllCommands)];

    [Fact]
    public void A_letter_names_the_same_option_in_every_command_and_no_name_is_taken_twice()
    {
        foreach (Command command in AllCommands(s_root))
        {
            string[] names = [.. command.Options.SelectMany(o => (string[])[o.Name, .. o.Aliases])];
            Assert.True(names.Length == names.Distinct(StringComparer.Ordinal).Count(), $"{command.Name}: {string.Join(", ", names)}");
            foreach (Option option in command.Options)
            {
                foreach (string alias in option.Aliases.Where(a => !a.StartsWith("--", StringComparison.Ordinal)))
                {
                    if (option.Name is "--help" or "--version")
                    {
                        continue;
                    }

                    Assert.True(ShortAliases.ByOption.TryGetValue(option.Name, out string? expected) && expected == alias, $"{command.Name} {option.Name} has the alias {alias}");
                }

                if (ShortAliases.ByOption.TryGetValue(option.Name, out string? letter))
                {
                    Assert.Contains(letter, option.Aliases);
                }
            }
        }
    }

    [Theory]
    [InlineData("train", "-e -o -d -l -b -t -s")]
    [InlineData("eval", "-m -d")]
    [InlineData("predict", "-m -d")]
    [InlineData("export", "-m")]
    [InlineData("import", "-o -d")]
    [InlineData("demo", "-o -t")]
    [InlineData("bench", "-t")]
    [InlineData("gradcheck", "-s")]
    public void The_common_options_have_their_letter(string command, string letters)
    {
        Command found = s_root.Subcommands.Single(c => c.Name == command);
        string[] aliases = [.. found.Options.SelectMany(o => o.Aliases)];
        Assert.All(letters.Split(' '), letter => Assert.Contains(letter, aliases));
    }

    [Fact]
    public async Task Short_options_train_what_the_long_ones_train()
    {
        string[] common = ["train", "--limit", "200", "--layers", "8", "--json"];
        CliRun longForm = await CliRun.RunAsync([.. common, "--epochs", "2", "--lr", "0.01", "--batch-size", "50", "--seed", "3", "--threads", "1"]);
        CliRun shortForm = await CliRun.RunAsync([.. common, "-e", "2", "-l", "0.01", "-b", "50", "-s", "3", "-t", "1"]);
        CliRun otherSeed = await CliRun.RunAsync([.. common, "-e", "2", "-l", "0.01", "-b", "50", "-s", "4", "-t", "1"]);

        Assert.True(longForm.ExitCode == 0 && shortForm.ExitCode == 0 && otherSeed.ExitCode == 0, longForm + "\n" + shortForm);
        double[] Losses(CliRun run) => [.. run.JsonLines("epoch").Select(e => e.GetProperty("loss").GetDouble())];
        Assert.Equal(2, Losses(shortForm).Length);
        Assert.Equal(Losses(longForm), Losses(shortForm));
        Assert.NotEqual(Losses(shortForm), Losses(otherSeed));
    }

    [Fact]
    public void Every_command_has_examples_that_parse()
    {
        foreach (Command command in AllCommands(s_root).Where(c => c.Action is not null))
        {
            IReadOnlyList<HelpExamples.Example> examples = HelpExamples.Of(command);
            Assert.True(examples.Count > 0, $"{command.Name} has no examples");
            foreach (HelpExamples.Example example in examples.Where(e => !e.CommandLine.Contains('<', StringComparison.Ordinal)))
            {
                // The shell's redirection is not the tool's.
                string line = example.CommandLine.Split('>')[0];
                string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal("backprop", words[0]);
                ParseResult parsed = s_root.Parse(words[1..]);
                Assert.True(parsed.Errors.Count == 0, $"'{example.CommandLine}': {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
                if (command != s_root)
                {
                    Assert.Same(command, parsed.CommandResult.Command);
                }
            }
        }
    }

    [Theory]
    [InlineData("train")]
    [InlineData("eval")]
    [InlineData("data fetch")]
    public async Task Help_ends_with_the_examples(string command)
    {
        CliRun run = await CliRun.RunAsync([.. command.Split(' '), "--help"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.OutputLines;
        int examples = Array.IndexOf(lines, "Examples:");
        Assert.True(examples > Array.FindIndex(lines, l => l.StartsWith("Options:", StringComparison.Ordinal)), run.Output);
        Assert.StartsWith($"backprop {command} ", lines[examples + 1], StringComparison.Ordinal);
    }

    [Fact]
    public void Train_help_names_the_optimizers_that_take_momentum_and_weight_decay()
    {
        Command train = s_root.Subcommands.Single(c => c.Name == "train");
        string Description(string option) => train.Options.Single(o => o.Name == option).Description!;

        Assert.Equal("Momentum of sgd, nesterov and rmsprop; 0 for none (plain SGD).", Description("--momentum"));
        Assert.Equal("Decoupled weight decay of adamw.", Description("--weight-decay"));
    }

    [Fact]
    public async Task Train_help_lists_the_short_aliases_and_says_what_the_json_summary_holds()
    {
        CliRun run = await CliRun.RunAsync("train", "--help");

        Assert.Contains(run.OutputLines, l => l.StartsWith("-e, --epochs <N>", StringComparison.Ordinal));
        Assert.Contains(run.OutputLines, l => l.StartsWith("-o, --out <PATH>", StringComparison.Ordinal));
        string help = string.Join(' ', run.OutputLines);
        Assert.Contains("a summary object (type \"summary\", epochs", help, StringComparison.Ordinal);
    }
}
