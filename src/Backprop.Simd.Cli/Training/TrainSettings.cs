using Backprop.Simd.Cli.Data;
using Backprop.Simd.Models;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Training;

/// <summary>The options of <c>train</c>, checked and converted to the library's types.</summary>
internal sealed record TrainSettings
{
    public required DataRequest Data { get; init; }

    /// <summary>Whether --dataset or --data was given (a resumed model otherwise trains on its own data set).</summary>
    public required bool DataGiven { get; init; }

    /// <summary>Whether --limit was given (a resumed model otherwise uses the limit it was trained with).</summary>
    public required bool LimitGiven { get; init; }

    /// <summary>
    /// The classifier's options as the command line sets them. The tool makes the validation split itself (so that
    /// batch progress is reported) and passes it as a validation set, which the trainer then uses instead of the
    /// fraction; the fraction is still set so that the checkpoint records it and --resume splits the same way.
    /// </summary>
    public required MlpClassifierOptions Classifier { get; init; }

    /// <summary>The training part of <see cref="Classifier"/>.</summary>
    public TrainingOptions Training => Classifier.Training;

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

    public required bool Json { get; init; }

    public required bool Double { get; init; }

    /// <summary>Where to save the model (--out); on --resume, the resumed file unless --out names another.</summary>
    public required string? ModelPath { get; init; }

    /// <summary>Save the model with its checkpoint every this many epochs; 0 only at the end.</summary>
    public required int CheckpointEvery { get; init; }

    /// <summary>The model file to continue training from (--resume).</summary>
    public required string? ResumePath { get; init; }
}
