using System.CommandLine;
using Backprop.Simd.Cli.Training;
using Backprop.Simd.Layers;
using Backprop.Simd.Models;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Commands;

/// <summary><c>backprop train</c>: trains a classifier on a data set and reports every epoch.</summary>
internal sealed class TrainCommand
{
    private readonly DataOptions _data = new();
    private readonly Option<int> _classes = OptionFactory.Integer("--classes", "The number of classes of an idx data set; every label must be below it. Default: 0 to the largest label, each of which must occur.", 0, 2);
    private readonly Option<bool> _standardize = OptionFactory.Flag("--standardize", "Standardise each pixel (mean 0, deviation 1 on the rows that train, not those --validation-fraction holds out) instead of scaling to [0, 1]; the standardiser is saved in the model.");
    private readonly Option<string> _layers = new("--layers") { Description = "Hidden layer widths, separated by commas, or none.", DefaultValueFactory = _ => "100", HelpName = "W1,W2,..." };
    private readonly Option<string> _activation = OptionFactory.Choice("--activation", "The hidden layers' activation.", "relu", ActivationNames.Names);
    private readonly Option<string> _init = OptionFactory.Choice("--init", $"How the weights start: auto (he for {ActivationNames.HeInitialized}, glorot otherwise; the output layer glorot), he, glorot, fan-in (uniform in ±1/sqrt(inputs), biases too: PyTorch's nn.Linear default), unit (uniform in ±1, biases too: the notebook's).", "auto", "auto", "he", "glorot", "fan-in", "unit");
    private readonly Option<string> _loss = OptionFactory.Choice("--loss", "softmax: softmax cross-entropy; sigmoid: one sigmoid per class with binary cross-entropy (the notebook's).", "softmax", "softmax", "sigmoid");
    private readonly Option<string> _optimizer = OptionFactory.Choice("--optimizer", "The optimizer.", "adam", [.. OptimizerKind.All.Select(k => k.Name)]);
    private readonly Option<double> _momentum = OptionFactory.Number("--momentum", $"Momentum of {KindsThat(k => k.TakesMomentum)}; 0 for none (plain SGD).", 0.9, 0, 1);
    private readonly Option<double> _weightDecay = OptionFactory.Number("--weight-decay", $"Decoupled weight decay of {KindsThat(k => k.TakesWeightDecay)}.", 0.01, 0);
    private readonly Option<double> _learningRate = OptionFactory.Number("--lr", "The learning rate.", 0.001, 0, exclusiveMinimum: true);
    private readonly Option<string> _schedule = new("--schedule") { Description = $"The learning-rate schedule: {ScheduleParser.Syntax}.", DefaultValueFactory = _ => "constant", HelpName = "SCHEDULE" };
    private readonly Option<int> _batchSize = OptionFactory.Integer("--batch-size", "Samples per minibatch.", 32, 1);
    private readonly Option<int> _batchCount = OptionFactory.Integer("--batch-count", "Split each epoch into this many equal minibatches instead (the notebook's n_batches); overrides --batch-size.", 0, 0);
    private readonly Option<int> _epochs = OptionFactory.Integer("--epochs", "Epochs to train.", 10, 1);
    private readonly Option<double> _l1 = OptionFactory.Number("--l1", "L1 penalty on the weights.", 0, 0);
    private readonly Option<double> _l2 = OptionFactory.Number("--l2", "L2 penalty (λ/2)Σw² on the weights.", 0, 0);
    private readonly Option<ulong> _seed = new("--seed") { Description = "Seed of initialisation and shuffling; the same seed gives the same weights on any thread count.", DefaultValueFactory = _ => 42, HelpName = "N" };
    private readonly Option<int> _threads = OptionFactory.Threads();
    private readonly Option<int> _shards = OptionFactory.Integer("--shards", "Split each minibatch into this many shards that run in parallel; the weights depend on it, never on --threads, so use about as many as the threads you train on. --resume keeps the checkpoint's.", 2, 1, TrainingOptions.MaxShards);
    private readonly Option<double> _validation = OptionFactory.Number("--validation-fraction", "Hold out this fraction of the training set (its last rows) for validation.", 0, 0, 1);
    private readonly Option<int> _earlyStopping = OptionFactory.Integer("--early-stopping", "Stop after this many epochs without a lower validation loss and keep the best weights; needs --validation-fraction. 0: off.", 0, 0);
    private readonly Option<string> _dtype = OptionFactory.ElementType();
    private readonly Option<bool> _json = OptionFactory.Json($"one object per epoch ({JsonTrainingDisplay.EpochObject}), then a summary object ({JsonTrainingDisplay.SummaryObject})");
    private readonly Option<string?> _out = new("--out") { Description = "Save the model (weights, standardiser, a checkpoint to resume from, metadata) to this file at the end; written atomically.", HelpName = "PATH" };
    private readonly Option<int> _checkpointEvery = OptionFactory.Integer("--checkpoint-every", "Also save to --out after every N epochs. Ctrl+C saves too.", 0, 0);
    private readonly Option<string?> _resume = new("--resume") { Description = "Continue training the model in this file from its checkpoint for --epochs more epochs; its architecture, optimizer, standardiser and (unless --dataset, --data or --limit say otherwise) data set and limit are used, and it is saved back to itself unless --out names another file.", HelpName = "PATH" };

    public Command Create(CliConsole console)
    {
        var command = new Command("train", "Train a classifier (default: the embedded digits, 500 held out as the test set) and report every epoch.");
        _data.AddTo(command);
        command.Add(_classes);
        command.Add(_standardize);
        command.Add(_layers);
        command.Add(_activation);
        command.Add(_init);
        command.Add(_loss);
        command.Add(_optimizer);
        command.Add(_momentum);
        command.Add(_weightDecay);
        command.Add(_learningRate);
        command.Add(_schedule);
        command.Add(_batchSize);
        command.Add(_batchCount);
        command.Add(_epochs);
        command.Add(_l1);
        command.Add(_l2);
        command.Add(_seed);
        command.Add(_threads);
        command.Add(_shards);
        command.Add(_validation);
        command.Add(_earlyStopping);
        command.Add(_dtype);
        command.Add(_json);
        command.Add(_out);
        command.Add(_checkpointEvery);
        command.Add(_resume);
        command.SetAction((result, cancellationToken) =>
        {
            TrainSettings settings = Read(result);
            return Task.FromResult(TrainRunner.Run(settings, console, cancellationToken));
        });
        return command.WithExamples(
            new("backprop train -e 20 --layers 256,128 -o digits.bpm", "784-256-128-10 on the embedded digits for 20 epochs, saved to digits.bpm."),
            new("backprop train -d ~/mnist --standardize -l 0.01 -b 128 -t 4", "On IDX files (train-* and t10k-*) in ~/mnist, standardised, learning rate 0.01, batches of 128, 4 threads."),
            new("backprop train --resume digits.bpm -e 10", "Ten more epochs of digits.bpm, bitwise as if training had not stopped."),
            new("backprop train --dataset fashion-mnist --validation-fraction 0.1 --early-stopping 3 -o fashion.bpm", "Fashion-MNIST, stopping when the validation loss has not fallen for 3 epochs."),
            new("backprop train -e 5 --json > run.jsonl", "One JSON object per epoch and a summary object, for scripts."));
    }

    /// <summary>The optimizer kinds that take an option, for its help: for example <c>sgd, nesterov and rmsprop</c>.</summary>
    private static string KindsThat(Func<OptimizerKind, bool> take)
    {
        string[] names = [.. OptimizerKind.All.Where(take).Select(k => k.Name)];
        return names.Length < 2 ? string.Concat(names) : $"{string.Join(", ", names[..^1])} and {names[^1]}";
    }

    /// <summary>The options that set the model or how it trains: a model file being resumed has its own.</summary>
    private Option[] RecipeOptions =>
        [_classes, _standardize, _layers, _activation, _init, _loss, _optimizer, _momentum, _weightDecay, _schedule, _batchSize, _batchCount, _l1, _l2, _seed, _shards, _dtype];

    private TrainSettings Read(ParseResult result) => new()
    {
        Data = _data.Read(result) with { Classes = result.GetValue(_classes) },
        DataGiven = _data.IsGiven(result),
        LimitGiven = _data.LimitGiven(result),
        Classifier = new MlpClassifierOptions
        {
            Standardize = result.GetValue(_standardize),
            HiddenLayers = LayerList.Parse(result.GetValue(_layers)!),
            HiddenActivation = ActivationNames.Parse(result.GetValue(_activation)!),
            Initialization = result.GetValue(_init) switch
            {
                "he" => WeightInitialization.HeNormal,
                "glorot" => WeightInitialization.GlorotUniform,
                "fan-in" => WeightInitialization.FanInUniform,
                "unit" => WeightInitialization.UniformUnit,
                _ => null,
            },
            Output = result.GetValue(_loss) == "sigmoid" ? OutputLayer.Sigmoid : OutputLayer.Softmax,
            Optimizer = OptimizerKind.TryParse(result.GetValue(_optimizer), out OptimizerKind? optimizer) ? optimizer : OptimizerKind.Adam,
            Momentum = result.GetValue(_momentum),
            WeightDecay = result.GetValue(_weightDecay),
            LearningRate = result.GetValue(_learningRate),
            Training = new TrainingOptions
            {
                Schedule = ScheduleParser.Parse(result.GetValue(_schedule)!, result.GetValue(_epochs)),
                BatchSize = result.GetValue(_batchSize),
                BatchCount = result.GetValue(_batchCount),
                Epochs = result.GetValue(_epochs),
                L1 = result.GetValue(_l1),
                L2 = result.GetValue(_l2),
                Seed = result.GetValue(_seed),
                MaxDegreeOfParallelism = result.GetValue(_threads),
                Shards = result.GetValue(_shards),
                ValidationFraction = result.GetValue(_validation),
                EarlyStoppingPatience = result.GetValue(_earlyStopping),
            },
        },
        RecipeOptionsGiven = [.. RecipeOptions.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name)],
        LearningRateGiven = result.GetResult(_learningRate) is { Implicit: false },
        ValidationFractionGiven = result.GetResult(_validation) is { Implicit: false },
        EarlyStoppingGiven = result.GetResult(_earlyStopping) is { Implicit: false },
        Json = result.GetValue(_json),
        Double = result.GetValue(_dtype) == "f64",
        ModelPath = result.GetValue(_out),
        CheckpointEvery = result.GetValue(_checkpointEvery),
        ResumePath = result.GetValue(_resume),
    };
}
