using System.Buffers;
using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Metrics;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Training;

namespace Backprop.Simd.Models;

/// <summary>
/// A multilayer-perceptron classifier with the original notebook's interface in .NET style: <see cref="Fit(Matrix{T}, ReadOnlySpan{int}, IProgress{EpochMetrics}?, CancellationToken)"/>,
/// <c>Predict</c>, <c>PredictProba</c>, <see cref="Score"/> and <see cref="History"/>. Calling <c>Fit</c> again
/// continues from the trained weights (lower <see cref="LearningRate"/> first to warm-start).
/// </summary>
/// <remarks>
/// The network ends in logits; <c>PredictProba</c> returns softmax probabilities (rows sum to 1) whichever output
/// layer was trained. The single-sample and span overloads of <c>Predict</c> and <c>PredictProba</c> allocate
/// nothing and may be called from many threads at once on a trained model. <c>Fit</c> runs one call at a time: a
/// second one meanwhile (another thread, or a progress callback) throws <see cref="InvalidOperationException"/>.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class MlpClassifier<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MlpClassifierOptions _options;
    private Network<T>? _network;
    private Trainer<T>? _trainer;
    private double _learningRate;
    private int _fitting;

    /// <summary>Creates an untrained classifier; the network is built by the first <c>Fit</c>.</summary>
    /// <param name="options">The hyperparameters (copied); defaults if null.</param>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="MlpClassifierOptions.Validate"/>).</exception>
    public MlpClassifier(MlpClassifierOptions? options = null)
    {
        _options = (options ?? new MlpClassifierOptions()).Clone();
        _options.Validate();
        Optimizer<T>.CheckBaseLearningRate(_options.LearningRate, nameof(MlpClassifierOptions.LearningRate));
        _learningRate = _options.LearningRate;
    }

    /// <summary>Creates a classifier around an existing network that outputs one logit per class (for example a loaded model).</summary>
    /// <param name="network">The network.</param>
    /// <param name="options">The hyperparameters for further training; defaults if null.</param>
    public MlpClassifier(Network<T> network, MlpClassifierOptions? options = null)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (_options.ClassCount > 0 && _options.ClassCount != network.OutputSize)
        {
            throw new ArgumentException($"The options say {_options.ClassCount} classes but the network has {network.OutputSize} outputs.", nameof(options));
        }

        _network = network;
    }

    /// <summary>A copy of the hyperparameters.</summary>
    public MlpClassifierOptions Options => _options.Clone();

    /// <summary>Whether the classifier has a network (after <c>Fit</c>, or when built from one).</summary>
    public bool IsFitted => _network is not null;

    /// <summary>The network (logits out).</summary>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public Network<T> Network => _network ?? throw NotFitted();

    /// <summary>The number of classes.</summary>
    public int ClassCount => Network.OutputSize;

    /// <summary>The number of input features.</summary>
    public int FeatureCount => Network.InputSize;

    /// <summary>The trainer, once <c>Fit</c> has run (for its optimizer state and epoch count).</summary>
    public Trainer<T>? Trainer => _trainer;

    /// <summary>The base learning rate; may be changed between <c>Fit</c> calls (the notebook halves it to warm-start).</summary>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            Optimizer<T>.CheckBaseLearningRate(value, nameof(value));
            _learningRate = value;
            if (_trainer is not null)
            {
                _trainer.Optimizer.LearningRate = value;
            }
        }
    }

    /// <summary>The metrics of every epoch trained so far.</summary>
    public TrainingHistory History => _trainer?.History ?? new TrainingHistory();

    /// <summary>
    /// Trains on labelled samples (continuing from the current weights if already fitted). A first call that fails
    /// before its first training step (bad shapes or labels, a cancelled token) leaves the classifier unfitted.
    /// </summary>
    /// <param name="features">The samples, [n x features].</param>
    /// <param name="labels">The class of each sample, 0 .. classes − 1.</param>
    /// <param name="progress">Receives each epoch's metrics.</param>
    /// <param name="cancellationToken">Stops after the current minibatch with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The history of all epochs so far.</returns>
    public TrainingHistory Fit(Matrix<T> features, ReadOnlySpan<int> labels, IProgress<EpochMetrics>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(features, labels, null, default, progress, null, cancellationToken);

    /// <summary>Trains with an explicit validation set.</summary>
    /// <param name="features">The samples, [n x features].</param>
    /// <param name="labels">Their classes.</param>
    /// <param name="validationFeatures">Validation samples, or null.</param>
    /// <param name="validationLabels">Their classes.</param>
    /// <param name="progress">Receives each epoch's metrics.</param>
    /// <param name="batchProgress">Receives progress after each minibatch.</param>
    /// <param name="cancellationToken">Stops after the current minibatch with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The history of all epochs so far.</returns>
    /// <exception cref="ArgumentException">Shapes or labels do not fit, or the validation features hold a NaN or an infinity.</exception>
    /// <exception cref="InvalidOperationException">Fit is running on this classifier already, or another classifier or trainer is training its network.</exception>
    public TrainingHistory Fit(
        Matrix<T> features,
        ReadOnlySpan<int> labels,
        Matrix<T>? validationFeatures,
        ReadOnlySpan<int> validationLabels,
        IProgress<EpochMetrics>? progress = null,
        IProgress<BatchProgress>? batchProgress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (Interlocked.Exchange(ref _fitting, 1) == 1)
        {
            throw new InvalidOperationException("Fit is already running on this classifier (another thread, or a progress callback of it); it runs one call at a time.");
        }

        try
        {
            return FitOnce(features, labels, validationFeatures, validationLabels, progress, batchProgress, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _fitting, 0);
        }
    }

    private TrainingHistory FitOnce(
        Matrix<T> features,
        ReadOnlySpan<int> labels,
        Matrix<T>? validationFeatures,
        ReadOnlySpan<int> validationLabels,
        IProgress<EpochMetrics>? progress,
        IProgress<BatchProgress>? batchProgress,
        CancellationToken cancellationToken)
    {
        if (validationFeatures is not null)
        {
            ValidationData.ThrowIfNotFinite(validationFeatures, nameof(validationFeatures));
        }

        Network<T> network = _network ?? Build(features.Columns, ClassesFor(labels, validationFeatures is null ? default : validationLabels));
        Matrix<T> targets = OneHot(labels, features.Rows, network.OutputSize, nameof(labels));
        Matrix<T>? validationTargets = validationFeatures is null ? null : OneHot(validationLabels, validationFeatures.Rows, network.OutputSize, nameof(validationLabels));
        Trainer<T> trainer = _trainer ?? new Trainer<T>(network, CreateLoss(), CreateOptimizer(), _options.ToTrainingOptions());
        bool first = _network is null;
        (_network, _trainer) = (network, trainer);
        try
        {
            return trainer.Fit(features, targets, validationFeatures, validationTargets, progress, batchProgress, cancellationToken);
        }
        catch when (first && trainer.StepsCompleted == 0)
        {
            // Nothing was trained: a classifier that was not fitted stays so, rather than keep a random network
            // whose class count came from labels that were rejected.
            (_network, _trainer) = (null, null);
            throw;
        }
    }

    /// <summary>The most probable class of each sample.</summary>
    /// <param name="features">The samples.</param>
    /// <returns>The classes.</returns>
    public int[] Predict(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var labels = new int[features.Rows];
        Predict(features, labels);
        return labels;
    }

    /// <summary>The most probable class of each sample, into <paramref name="labels"/>; thread-safe.</summary>
    /// <param name="features">The samples, [n x features].</param>
    /// <param name="labels">Receives n classes.</param>
    public void Predict(ReadOnlyMatrixSpan<T> features, Span<int> labels)
    {
        if (labels.Length != features.Rows)
        {
            throw new ArgumentException($"{features.Rows} samples but room for {labels.Length} labels.", nameof(labels));
        }

        const int Chunk = 1024;
        int classes = ClassCount;
        T[] logits = ArrayPool<T>.Shared.Rent(Math.Min(Chunk, features.Rows) * classes);
        try
        {
            for (int start = 0; start < features.Rows; start += Chunk)
            {
                int rows = Math.Min(Chunk, features.Rows - start);
                var block = new MatrixSpan<T>(logits.AsSpan(0, rows * classes), rows, classes);
                Network.Predict(features.Slice(start, rows), block);
                Kernels.ArgMaxRows<T>(block, labels.Slice(start, rows));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(logits);
        }
    }

    /// <summary>The most probable class of one sample; thread-safe and allocation-free.</summary>
    /// <param name="features">The sample's features.</param>
    /// <returns>The class.</returns>
    public int Predict(ReadOnlySpan<T> features)
    {
        int classes = ClassCount;
        T[]? rented = classes <= 256 ? null : ArrayPool<T>.Shared.Rent(classes);
        Span<T> logits = rented is null ? stackalloc T[classes] : rented.AsSpan(0, classes);
        try
        {
            Network.Predict(features, logits);
            return Kernels.ArgMax<T>(logits);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<T>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Class probabilities (softmax of the logits; rows sum to 1).</summary>
    /// <param name="features">The samples.</param>
    /// <returns>[n x classes] probabilities.</returns>
    public Matrix<T> PredictProba(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var probabilities = new Matrix<T>(features.Rows, ClassCount);
        PredictProba(features, probabilities);
        return probabilities;
    }

    /// <summary>Class probabilities of a batch into <paramref name="probabilities"/>; thread-safe and allocation-free.</summary>
    /// <param name="features">The samples, [n x features].</param>
    /// <param name="probabilities">Receives [n x classes] probabilities.</param>
    public void PredictProba(ReadOnlyMatrixSpan<T> features, MatrixSpan<T> probabilities)
    {
        Network.Predict(features, probabilities);
        Kernels.SoftmaxRows<T>(probabilities, probabilities);
    }

    /// <summary>Class probabilities of one sample; thread-safe and allocation-free.</summary>
    /// <param name="features">The sample's features.</param>
    /// <param name="probabilities">Receives one probability per class.</param>
    public void PredictProba(ReadOnlySpan<T> features, Span<T> probabilities)
    {
        Network.Predict(features, probabilities);
        Kernels.Softmax<T>(probabilities, probabilities);
    }

    /// <summary>The accuracy: the fraction of samples whose predicted class is their label.</summary>
    /// <param name="features">The samples.</param>
    /// <param name="labels">Their classes.</param>
    /// <returns>The accuracy in [0, 1]; NaN for no samples (as <see cref="Trainer{T}.Evaluate"/>).</returns>
    public double Score(Matrix<T> features, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (labels.Length != features.Rows)
        {
            throw new ArgumentException($"{features.Rows} samples but {labels.Length} labels.", nameof(labels));
        }

        int[] predicted = Predict(features);
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        return predicted.Length == 0 ? double.NaN : (double)correct / predicted.Length;
    }

    /// <summary>
    /// The accuracy, confusion matrix and per-class precision, recall and F1 (with macro and weighted averages) of the
    /// predictions for labelled samples.
    /// </summary>
    /// <param name="features">The samples, [n x features]; at least one.</param>
    /// <param name="labels">Their classes, each in [0, <see cref="ClassCount"/>).</param>
    /// <returns>The report over the classifier's <see cref="ClassCount"/> classes.</returns>
    /// <exception cref="ArgumentException">The number of labels differs from the number of samples, or there are none.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, <see cref="ClassCount"/>); the message names the first such index.</exception>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public ClassificationReport Evaluate(Matrix<T> features, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (labels.Length != features.Rows)
        {
            throw new ArgumentException($"{features.Rows} samples but {labels.Length} labels.", nameof(labels));
        }

        Data.OneHot.CheckLabels(labels, ClassCount, nameof(labels));
        return ClassificationReport.Create(labels, Predict(features), ClassCount);
    }

    private Network<T> Build(int features, int classes)
    {
        NetworkBuilder<T> builder = Network<T>.Create(features, _options.Seed);
        foreach (int width in _options.HiddenLayers)
        {
            builder.Dense(width, _options.HiddenActivation, _options.Initialization);
            if (_options.Dropout > 0)
            {
                builder.Dropout(_options.Dropout);
            }
        }

        builder.Dense(classes, Activation.Identity, _options.Initialization ?? WeightInitialization.GlorotUniform);
        Network<T> network = builder.Build();
        network.MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism;
        return network;
    }

    private Loss<T> CreateLoss() => _options.Output == OutputLayer.Sigmoid ? new SigmoidCrossEntropy<T>() : new SoftmaxCrossEntropy<T>();

    private Optimizer<T> CreateOptimizer() => _options.Optimizer.Create<T>(_learningRate, _options);

    private static Matrix<T> OneHot(ReadOnlySpan<int> labels, int rows, int classes, string name)
    {
        if (labels.Length != rows)
        {
            throw new ArgumentException($"{rows} samples but {labels.Length} labels.", name);
        }

        return Data.OneHot.Encode<T>(labels, classes, name);
    }

    /// <summary>The output count of a new network: the option, else the labels' (validation labels included, which may hold a class the training labels lack).</summary>
    private int ClassesFor(ReadOnlySpan<int> labels, ReadOnlySpan<int> validationLabels) => _options.ClassCount > 0
        ? _options.ClassCount
        : Math.Max(2, Math.Max(MaxLabel(labels, nameof(labels)), MaxLabel(validationLabels, nameof(validationLabels))) + 1);

    private static int MaxLabel(ReadOnlySpan<int> labels, string name)
    {
        int max = -1;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
            {
                throw new ArgumentOutOfRangeException(name, $"Label {labels[i]} at index {i} is negative.");
            }

            max = Math.Max(max, labels[i]);
        }

        return max;
    }

    private static InvalidOperationException NotFitted() => new("The classifier has no network yet: call Fit first.");
}
