using Backprop.Simd.Cli.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Cli.Training;

/// <summary>The options of <c>train</c>, checked and converted to the library's types.</summary>
internal sealed record TrainSettings
{
    public required DataRequest Data { get; init; }

    /// <summary>Whether --dataset or --data was given (a resumed model otherwise trains on its own data set).</summary>
    public required bool DataGiven { get; init; }

    /// <summary>Whether --limit was given (a resumed model otherwise uses the limit it was trained with).</summary>
    public required bool LimitGiven { get; init; }

    public required bool Standardize { get; init; }

    public required IReadOnlyList<int> Layers { get; init; }

    public required Activation Activation { get; init; }

    /// <summary>The layers' initialisation (--init); null: chosen by the activation.</summary>
    public required WeightInitialization? Initialization { get; init; }

    public required OutputLayer Output { get; init; }

    public required OptimizerKind Optimizer { get; init; }

    public required double Momentum { get; init; }

    public required double WeightDecay { get; init; }

    public required double LearningRate { get; init; }

    public required string Schedule { get; init; }

    public required int BatchSize { get; init; }

    public required int BatchCount { get; init; }

    public required int Epochs { get; init; }

    public required double L1 { get; init; }

    public required double L2 { get; init; }

    public required ulong Seed { get; init; }

    public required int Threads { get; init; }

    public required int Shards { get; init; }

    /// <summary>
    /// The options given on the command line that set the model or its training recipe (--layers, --optimizer,
    /// --shards, ...): a resumed run keeps the model file's and rejects those that differ from it.
    /// </summary>
    public required IReadOnlyList<string> RecipeOptionsGiven { get; init; }

    /// <summary>Whether --lr was given: on --resume it replaces the checkpoint's base learning rate (a warm start).</summary>
    public required bool LearningRateGiven { get; init; }

    /// <summary>Whether --validation-fraction was given: on --resume it must match the checkpoint's.</summary>
    public required bool ValidationFractionGiven { get; init; }

    /// <summary>Whether --early-stopping was given: on --resume it must match the checkpoint's.</summary>
    public required bool EarlyStoppingGiven { get; init; }

    public required double ValidationFraction { get; init; }

    public required int EarlyStoppingPatience { get; init; }

    public required bool Json { get; init; }

    public required bool Double { get; init; }

    /// <summary>Where to save the model (--out); on --resume, the resumed file unless --out names another.</summary>
    public required string? ModelPath { get; init; }

    /// <summary>Save the model with its checkpoint every this many epochs; 0 only at the end.</summary>
    public required int CheckpointEvery { get; init; }

    /// <summary>The model file to continue training from (--resume).</summary>
    public required string? ResumePath { get; init; }

    /// <summary>
    /// The library's options. The tool makes the validation split itself (so that batch progress is reported) and
    /// passes it as a validation set, which the trainer then uses instead of the fraction; the fraction is still set
    /// so that the checkpoint records it and --resume splits the same way.
    /// </summary>
    public MlpClassifierOptions ToClassifierOptions() => new()
    {
        HiddenLayers = Layers,
        HiddenActivation = Activation,
        Initialization = Initialization,
        Output = Output,
        Optimizer = Optimizer,
        Momentum = Momentum,
        WeightDecay = WeightDecay,
        LearningRate = LearningRate,
        Schedule = ScheduleParser.Parse(Schedule, Epochs),
        Epochs = Epochs,
        BatchSize = BatchSize,
        BatchCount = BatchCount,
        Seed = Seed,
        MaxDegreeOfParallelism = Threads,
        Shards = Shards,
        L1 = L1,
        L2 = L2,
        ValidationFraction = ValidationFraction,
        EarlyStoppingPatience = EarlyStoppingPatience,
    };
}
