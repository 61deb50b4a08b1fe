using System.CommandLine;
using Backprop.Simd.Cli.Commands;

namespace Backprop.Simd.Cli;

/// <summary>The command tree of <c>backprop</c>. A new command (such as export or import) is one class in Commands/ and one line here.</summary>
internal static class CliApplication
{
    public static RootCommand CreateRootCommand(CliConsole console)
    {
        var root = new RootCommand("backprop: multilayer perceptrons trained with backpropagation on SIMD kernels (Backprop.Simd). Without a command it runs the demo.");
        root.Add(new DemoCommand().Create(console));
        root.Add(new NotebookCommand().Create(console));
        root.Add(new TrainCommand().Create(console));
        root.Add(new EvalCommand().Create(console));
        root.Add(new PredictCommand().Create(console));
        root.Add(new ExportCommand().Create(console));
        root.Add(new ImportCommand().Create(console));
        root.Add(new GradCheckCommand().Create(console));
        root.Add(new BenchCommand().Create(console));
        root.Add(new DataCommand().Create(console));
        root.SetAction((_, cancellationToken) => Task.FromResult(DemoCommand.Run(console, DemoCommand.DefaultOutput, quick: false, threads: 0, cancellationToken)));
        root.WithExamples(
            new("backprop demo --quick", "Replay the notebook in a few seconds; the figures go to ./demo-output."),
            new("backprop train -e 20 --layers 256,128 -o digits.bpm", "Train on the embedded digits and save the model."),
            new("backprop eval -m digits.bpm", "Accuracy, confusion matrix, precision, recall and F1 on the model's test set."),
            new("backprop predict -m digits.bpm --image seven.png", "Classify a picture."),
            new("backprop <command> --help", "Each command's options and examples."));
        ShortAliases.AddTo(root);
        HelpExamples.AddTo(root);
        return root;
    }
}
