using System.CommandLine;
using Backprop.Simd.Cli.Notebook;

namespace Backprop.Simd.Cli.Commands;

/// <summary><c>backprop notebook</c>: the notebook's six MNIST experiments replayed with its exact settings, beside its published figures.</summary>
internal sealed class NotebookCommand
{
    public const string DefaultOutput = "notebook-output";

    private readonly Option<string?> _data = new("--data")
    {
        Description = "A directory holding the original MNIST files (train-images-idx3-ubyte and the other three, plain or .gz), itself or in a subfolder mnist. Default: $BACKPROP_DATA, /usr/share/datasets/mnist, then the download cache that 'backprop data fetch mnist' fills.",
        HelpName = "DIR",
    };

    private readonly Option<string> _out = new("--out") { Description = "The directory for the pictures.", DefaultValueFactory = _ => DefaultOutput, HelpName = "DIR" };
    private readonly Option<int> _seed = OptionFactory.Integer("--seed", "numpy's seed of the shuffle and of the starting weights (the notebook's RANDOM_SEED).", 42, 0);
    private readonly Option<bool> _json = OptionFactory.Json("one object per experiment (experiment, published, test_accuracy, train_accuracy, seconds, ...)");
    private readonly Option<int> _threads = OptionFactory.Threads();
    private readonly Option<int> _limit = OptionFactory.Integer("--limit", "For quick checks: train on only the first N of the shuffled training digits (at least 25, one per minibatch); 0 for all, the notebook's 59,500.", 0, 0);
    private readonly Option<double> _epochsScale = OptionFactory.Number("--epochs-scale", "For quick checks: multiply every experiment's epochs by X (each runs at least one); 1 is the notebook's.", 1, 0, exclusiveMinimum: true);
    private readonly Option<bool> _explainSpikes = new("--explain-spikes")
    {
        Description = "Instead of the replay: rerun experiment 6 as published, with half the learning rate, with the mean over a batch (the same update) and reshuffled every epoch, recording per epoch the error, the gradient norm and sharpness x lr / 2; a table and spikes.png.",
    };

    private readonly Option<int> _epochs = OptionFactory.Integer("--epochs", "With --explain-spikes: the epochs of each variant; 0 for experiment 6's 500. The spikes come every 20 to 25 epochs, so 150 show several.", 0, 0);
    private readonly Option<int> _sharpnessEvery = OptionFactory.Integer("--sharpness-every", "With --explain-spikes: estimate the sharpness after every K epochs (each estimate costs a few minibatch gradients).", 5, 1);

    public Command Create(CliConsole console)
    {
        var command = new Command(
            "notebook",
            "Replay the notebook's six MNIST experiments with its exact settings in double precision (about 9 minutes on 2 cores) and print its published accuracies beside ours; draws the error curves and two test digits into --out.");
        command.Add(_data);
        command.Add(_out);
        command.Add(_seed);
        command.Add(_json);
        command.Add(_threads);
        command.Add(_limit);
        command.Add(_epochsScale);
        command.Add(_explainSpikes);
        command.Add(_epochs);
        command.Add(_sharpnessEvery);
        command.SetAction((result, cancellationToken) => Task.FromResult(NotebookRunner.Run(
            console,
            new NotebookSettings(
                result.GetValue(_data),
                result.GetValue(_out)!,
                (uint)result.GetValue(_seed),
                result.GetValue(_json),
                result.GetValue(_threads),
                result.GetValue(_limit),
                result.GetValue(_epochsScale))
            {
                ExplainSpikes = result.GetValue(_explainSpikes),
                SpikeEpochs = result.GetValue(_epochs),
                SharpnessEvery = result.GetValue(_sharpnessEvery),
            },
            cancellationToken)));
        return command.WithExamples(
            new("backprop notebook", $"The whole replay on MNIST found in $BACKPROP_DATA or the download cache; pictures into ./{DefaultOutput}."),
            new("backprop notebook -d /data/mnist --json > replay.jsonl", "MNIST from /data/mnist; one JSON object per experiment."),
            new("backprop notebook --limit 2500 --epochs-scale 0.05", "A quick check: 2,500 training digits, a twentieth of each experiment's epochs."),
            new("backprop notebook --explain-spikes --epochs 150 -o spikes", "Why experiment 6's error spikes: four variants of 150 epochs, the table and spikes/spikes.png."));
    }
}
