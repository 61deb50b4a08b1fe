using System.CommandLine;
using Backprop.Simd.Cli.Demo;

namespace Backprop.Simd.Cli.Commands;

/// <summary><c>backprop demo</c> (and a bare <c>backprop</c>): the notebook replayed on the embedded digits.</summary>
internal sealed class DemoCommand
{
    public const string DefaultOutput = "demo-output";

    private readonly Option<string> _out = new("--out") { Description = "The directory for the figures.", DefaultValueFactory = _ => DefaultOutput, HelpName = "DIR" };
    private readonly Option<bool> _quick = OptionFactory.Flag("--quick", "About a sixtieth of the notebook's epochs per experiment instead of a quarter: a few seconds, for a smoke test; the trends may not show yet.");
    private readonly Option<int> _threads = OptionFactory.Threads();

    public Command Create(CliConsole console)
    {
        var command = new Command("demo", "Replay the original notebook quickly on the embedded digits: sigmoid, XOR, its six MNIST experiments with a quarter of their epochs; accuracies beside the notebook's and five figures. The full replay on the original MNIST is 'backprop notebook'.");
        command.Add(_out);
        command.Add(_quick);
        command.Add(_threads);
        command.SetAction((result, cancellationToken) => Task.FromResult(Run(console, result.GetValue(_out)!, result.GetValue(_quick), result.GetValue(_threads), cancellationToken)));
        return command.WithExamples(
            new("backprop demo", $"The whole notebook with a quarter of each experiment's epochs; the figures go to ./{DefaultOutput}."),
            new("backprop demo --quick -o /tmp/figures", "A sixtieth of the epochs, the figures in /tmp/figures."));
    }

    /// <summary>Runs the demo; a bare <c>backprop</c> calls this with the defaults.</summary>
    public static int Run(CliConsole console, string output, bool quick, int threads, CancellationToken cancellationToken) =>
        new NotebookDemo(console, output, quick ? NotebookDemo.QuickScale : NotebookDemo.FullScale, threads).Run(cancellationToken);
}
