using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Losses;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Serialization;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Training;

/// <summary>
/// The classifier being trained: a new <see cref="MlpClassifier{T}"/>, or a network and trainer resumed from a model
/// file's checkpoint (which the classifier cannot adopt). Either way: fit on labels, score, checkpoint.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class TrainingSession<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MlpClassifier<T>? _fresh;
    private readonly Trainer<T>? _resumed;
    private MlpClassifier<T>? _scorer;

    private TrainingSession(MlpClassifier<T>? fresh, Trainer<T>? resumed)
    {
        _fresh = fresh;
        _resumed = resumed;
    }

    /// <summary>Epochs completed before this run (0 for a new model).</summary>
    public int EpochsBefore => _resumed?.EpochsCompleted ?? 0;

    /// <summary>Whether a network exists yet (a new classifier builds it when training starts).</summary>
    public bool HasNetwork => _resumed is not null || _fresh!.IsFitted;

    /// <summary>The network.</summary>
    public Network<T> Network => _resumed?.Network ?? _fresh!.Network;

    /// <summary>The history of every epoch, including those before a resume.</summary>
    public TrainingHistory History => _resumed?.History ?? _fresh!.History;

    /// <summary>A new classifier with <paramref name="options"/>.</summary>
    public static TrainingSession<T> Create(MlpClassifierOptions options) => new(new MlpClassifier<T>(options), null);

    /// <summary>A resumed run's training options (a copy: the checkpoint's with this run's epochs and threads); null for a new model.</summary>
    public TrainingOptions? ResumedOptions => _resumed?.Options;

    /// <summary>A resumed run's optimizer (the checkpoint's); null for a new model.</summary>
    public Optimizer<T>? ResumedOptimizer => _resumed?.Optimizer;

    /// <summary>
    /// Continues from a saved model's checkpoint for <paramref name="epochs"/> more epochs on <paramref name="threads"/>
    /// threads, with <paramref name="learningRate"/> as the new base learning rate when given.
    /// </summary>
    /// <exception cref="ArgumentException">The model has no checkpoint.</exception>
    public static TrainingSession<T> Resume(SavedModel<T> model, string path, OutputLayer output, int epochs, int threads, double? learningRate)
    {
        TrainingCheckpoint checkpoint = model.Checkpoint
            ?? throw new ArgumentException($"The model file '{path}' holds no training checkpoint to resume from; it was saved for inference only.");
        TrainingOptions options = checkpoint.Options;
        options.Epochs = epochs;
        options.MaxDegreeOfParallelism = threads;
        model.Network.MaxDegreeOfParallelism = threads;
        Loss<T> loss = output == OutputLayer.Sigmoid ? new SigmoidCrossEntropy<T>() : new SoftmaxCrossEntropy<T>();
        Trainer<T> trainer = Trainer<T>.Resume(model.Network, loss, checkpoint, options);
        if (learningRate is { } rate)
        {
            trainer.Optimizer.LearningRate = rate;
        }

        return new(null, trainer);
    }

    /// <summary>Trains; see <see cref="MlpClassifier{T}.Fit(Matrix{T}, ReadOnlySpan{int}, Matrix{T}?, ReadOnlySpan{int}, IProgress{EpochMetrics}?, IProgress{BatchProgress}?, CancellationToken)"/>.</summary>
    public void Fit(Matrix<T> features, int[] labels, Matrix<T>? validationFeatures, int[] validationLabels, IProgress<EpochMetrics> progress, IProgress<BatchProgress> batchProgress, CancellationToken cancellationToken)
    {
        if (_fresh is not null)
        {
            _fresh.Fit(features, labels, validationFeatures, validationLabels, progress, batchProgress, cancellationToken);
            return;
        }

        int classes = _resumed!.Network.OutputSize;
        _resumed.Fit(
            features,
            OneHot.Encode<T>(labels, classes),
            validationFeatures,
            validationFeatures is null ? null : OneHot.Encode<T>(validationLabels, classes),
            progress,
            batchProgress,
            cancellationToken);
    }

    /// <summary>The accuracy on labelled samples.</summary>
    public double Score(Matrix<T> features, int[] labels)
    {
        _scorer ??= _fresh ?? new MlpClassifier<T>(Network);
        return _scorer.Score(features, labels);
    }

    /// <summary>The state to resume from; null before a new classifier has started training.</summary>
    public TrainingCheckpoint? CreateCheckpoint() => (_resumed ?? _fresh!.Trainer)?.CreateCheckpoint();
}
