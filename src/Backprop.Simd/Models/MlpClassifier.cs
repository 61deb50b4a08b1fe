using System.Buffers;
using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Metrics;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Serialization;
using Backprop.Simd.Training;

namespace Backprop.Simd.Models;

/// <summary>
/// A multilayer-perceptron classifier with the original notebook's interface in .NET style: <see cref="Fit(Matrix{T}, ReadOnlySpan{int}, IProgress{EpochMetrics}?, CancellationToken)"/>,
/// <c>Predict</c>, <c>PredictProba</c>, <see cref="Score"/>, <see cref="Evaluate"/> and <see cref="History"/>, with
/// <see cref="Save(string)"/> and <see cref="Load(string)"/>. Calling <c>Fit</c> again continues from the trained
/// weights (lower <see cref="LearningRate"/> first to warm-start), on a loaded classifier too.
/// </summary>
/// <remarks>
/// <para>With <see cref="MlpClassifierOptions.Standardize"/> the classifier is a pipeline: the first <c>Fit</c> fits a
/// <see cref="Standardizer"/> on its training rows, and every call standardises the raw features it is given. The
/// network ends in logits; <c>PredictProba</c> returns softmax probabilities (rows sum to 1) whichever output layer
/// was trained. (A loaded network that ends in a softmax layer of its own, as an imported one may, gives its
/// probabilities as they are, and can predict but not train.)</para>
/// <para>A saved classifier keeps everything: the network, the standardiser, the options, the optimizer state and
/// the history (in a training checkpoint) and its <see cref="Metadata"/>. A loaded one predicts bit for bit as the
/// saved one did and trains on as it would have. The file is an ordinary model file: <c>backprop eval</c>,
/// <c>predict</c> and <c>export</c> read it, and a model the tool trained loads here.</para>
/// <para>The single-sample and span overloads of <c>Predict</c> and <c>PredictProba</c> allocate nothing and may be
/// called from many threads at once on a trained model. <c>Fit</c> runs one call at a time: a second one meanwhile
/// (another thread, or a progress callback) throws <see cref="InvalidOperationException"/>.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class MlpClassifier<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // Rows standardised or predicted per block by the batch overloads (so their scratch stays bounded), and the widest
    // row a single-sample call keeps on the stack.
    private const int BlockRows = 1024;
    private const int MaxStackValues = 1024;

    private readonly MlpClassifierOptions _options;
    private Network<T>? _network;
    private Standardizer<T>? _standardizer;
    private ClassifierMetadata? _metadata;
    private Trainer<T>? _trainer;
    private TrainingCheckpoint? _checkpoint;
    private bool _outputsProbabilities;
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

    /// <summary>Creates a classifier around an existing network that outputs one logit per class (or, predicting only, one probability per class from a softmax layer of its own).</summary>
    /// <param name="network">The network; at least 2 outputs.</param>
    /// <param name="options">The hyperparameters for further training; defaults if null. <see cref="MlpClassifierOptions.Standardize"/> must be false: a network comes without the standardiser it was trained with (load a model file for both).</param>
    /// <exception cref="ArgumentException">The network has fewer than 2 outputs, the options' class count differs from them, or the options ask to standardise.</exception>
    public MlpClassifier(Network<T> network, MlpClassifierOptions? options = null)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.OutputSize < 2)
        {
            throw new ArgumentException($"The network has {network.OutputSize} output; a classifier needs one per class, at least 2.", nameof(network));
        }

        if (_options.ClassCount > 0 && _options.ClassCount != network.OutputSize)
        {
            throw new ArgumentException($"The options say {_options.ClassCount} classes but the network has {network.OutputSize} outputs.", nameof(options));
        }

        if (_options.Standardize)
        {
            throw new ArgumentException("Standardize needs the standardiser the network was trained with, which a network alone does not carry: load the model file (MlpClassifier<T>.Load, or the SavedModel constructor) instead.", nameof(options));
        }

        _network = network;
        _outputsProbabilities = network.Layers[^1] is Softmax<T>;
    }

    /// <summary>
    /// Creates a classifier from a loaded model: its network, standardiser, <see cref="ClassifierMetadata"/>, options
    /// (those a classifier saved, else what the network and checkpoint show) and checkpoint, from which the next
    /// <c>Fit</c> continues. A model saved from code without any of these loads with the defaults.
    /// </summary>
    /// <param name="model">The model, for example from <see cref="ModelFile.Load{T}(string)"/>; its network is used, not copied.</param>
    /// <exception cref="InvalidDataException">The model's metadata is malformed or does not fit its network, or it has fewer than 2 outputs.</exception>
    /// <exception cref="NotSupportedException">The checkpoint's optimizer is none of <see cref="OptimizerKind.All"/>.</exception>
    public MlpClassifier(SavedModel<T> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ClassifierMetadata metadata = ClassifierMetadata.Read(model);
        _options = ClassifierOptionsEntries.Read(model, metadata);
        if (_options.Standardize != model.Normalization is not null)
        {
            throw new InvalidDataException($"The model's options say Standardize = {_options.Standardize} but it {(model.Normalization is null ? "holds no" : "holds a")} standardiser.");
        }

        _learningRate = model.Checkpoint?.Optimizer.LearningRate ?? _options.LearningRate;
        try
        {
            Optimizer<T>.CheckBaseLearningRate(_learningRate, nameof(LearningRate));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"The model's learning rate is invalid: {e.Message}", e);
        }

        _network = model.Network;
        _network.MaxDegreeOfParallelism = _options.Training.MaxDegreeOfParallelism;
        _standardizer = model.Normalization;
        _metadata = metadata;
        _outputsProbabilities = metadata.Output == ClassifierOutput.Probabilities;
        _checkpoint = model.Checkpoint;
    }

    /// <summary>A copy of the hyperparameters (with the current <see cref="Epochs"/> and <see cref="MaxDegreeOfParallelism"/>).</summary>
    public MlpClassifierOptions Options => _options.Clone();

    /// <summary>Whether the classifier has a network (after <c>Fit</c>, or when built from one or loaded).</summary>
    public bool IsFitted => _network is not null;

    /// <summary>The network (logits out).</summary>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public Network<T> Network => _network ?? throw NotFitted();

    /// <summary>The number of classes.</summary>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public int ClassCount => Network.OutputSize;

    /// <summary>The number of input features.</summary>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public int FeatureCount => Network.InputSize;

    /// <summary>The standardiser applied to every input (fitted by the first <c>Fit</c> under <see cref="MlpClassifierOptions.Standardize"/>, or loaded); null when inputs are used as they are.</summary>
    public Standardizer<T>? Standardizer => _standardizer;

    /// <summary>
    /// What a saved model says about the classes and inputs (see <see cref="ClassifierMetadata"/>): by default classes
    /// named 0 to N − 1, a square image when the input size is one, no input scaling. Set it after <c>Fit</c> to name the
    /// classes or record the image shape and pixel scaling; <see cref="ClassifierMetadata.Output"/> and
    /// <see cref="ClassifierMetadata.Loss"/> follow from the network and <see cref="MlpClassifierOptions.Output"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    /// <exception cref="ArgumentException">The value does not fit the network, or changes the output kind or the loss.</exception>
    public ClassifierMetadata Metadata
    {
        get => _metadata ?? ClassifierMetadata.For(Network) with { Loss = _options.Output };
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            ClassifierMetadata current = Metadata;
            value.CheckFits(Network, nameof(value));
            if (value.Output != current.Output || value.Loss != current.Loss)
            {
                throw new ArgumentException($"The metadata says output {value.Output} and loss {value.Loss}, but the classifier's are {current.Output} and {current.Loss}: they follow from the network and Options.Output.", nameof(value));
            }

            _metadata = value;
        }
    }

    /// <summary>The trainer, once <c>Fit</c> has run (for its optimizer state and epoch count).</summary>
    public Trainer<T>? Trainer => _trainer;

    /// <summary>The base learning rate; may be changed between <c>Fit</c> calls (the notebook halves it to warm-start).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive, or not finite as a <typeparamref name="T"/>.</exception>
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

    /// <summary>Epochs per <c>Fit</c> (<see cref="TrainingOptions.Epochs"/>); may be changed between calls, training on exactly as before.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int Epochs
    {
        get => _options.Training.Epochs;
        set
        {
            MlpClassifierOptions.CheckEpochs(value, nameof(value));
            _options.Training.Epochs = value;
        }
    }

    /// <summary>The most threads to train and predict on, 0 for every processor (<see cref="TrainingOptions.MaxDegreeOfParallelism"/>); may be changed between calls, training on exactly as before.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxDegreeOfParallelism
    {
        get => _options.Training.MaxDegreeOfParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _options.Training.MaxDegreeOfParallelism = value;
            if (_network is not null)
            {
                _network.MaxDegreeOfParallelism = value;
            }
        }
    }

    /// <summary>The metrics of every epoch trained so far (a loaded classifier's included).</summary>
    public TrainingHistory History => _trainer?.History ?? _checkpoint?.History.Clone() ?? new TrainingHistory();

    /// <summary>Loads a classifier saved with <see cref="Save(string)"/>, or any model file of a classifier (such as <c>backprop train</c> writes).</summary>
    /// <param name="path">The model file; its element type must be <typeparamref name="T"/>.</param>
    /// <returns>The classifier, ready to predict and to train on.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid model file of <typeparamref name="T"/>, or its classifier metadata is malformed; the message names the file.</exception>
    /// <exception cref="NotSupportedException">The checkpoint's optimizer is none of <see cref="OptimizerKind.All"/>.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static MlpClassifier<T> Load(string path) => FromModel(ModelFile.Load<T>(path), $"model file '{path}'");

    /// <summary>Loads a classifier from <paramref name="stream"/>, from its current position to its end.</summary>
    /// <param name="stream">A readable stream; left open.</param>
    /// <returns>The classifier.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid model of <typeparamref name="T"/>, or its classifier metadata is malformed.</exception>
    /// <exception cref="NotSupportedException">The checkpoint's optimizer is none of <see cref="OptimizerKind.All"/>.</exception>
    public static MlpClassifier<T> Load(Stream stream) => FromModel(ModelFile.Load<T>(stream), "model stream");

    /// <summary>Saves the classifier atomically (see <see cref="ModelFile"/>): network, standardiser, options, optimizer state, history and metadata.</summary>
    /// <param name="path">The file; its directory must exist. An existing file is replaced only once the new one is complete.</param>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    /// <exception cref="ArgumentException">The options hold something a model file cannot store (a custom learning-rate schedule).</exception>
    /// <exception cref="IOException">The file cannot be written; the old file, if any, is unchanged.</exception>
    public void Save(string path) => ModelFile.Save(path, ToSavedModel());

    /// <summary>Writes the classifier to <paramref name="stream"/> at its current position (not atomic).</summary>
    /// <param name="stream">A writable stream; left open.</param>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    /// <exception cref="ArgumentException">The stream is not writable, or the options hold something a model file cannot store.</exception>
    public void Save(Stream stream) => ModelFile.Save(stream, ToSavedModel());

    /// <summary>
    /// What <see cref="Save(string)"/> writes, to add entries of your own to its <see cref="SavedModel{T}.Metadata"/>
    /// before <see cref="ModelFile.Save{T}(string, SavedModel{T})"/>. It refers to the classifier's network (not a copy).
    /// </summary>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public SavedModel<T> ToSavedModel()
    {
        Network<T> network = Network;
        TrainingCheckpoint checkpoint = (_trainer?.CreateCheckpoint() ?? _checkpoint ?? TrainingCheckpoint.Initial(CreateOptimizer(), _options.Training))
            .With(_learningRate, _options.Training);
        var model = new SavedModel<T>(network, _standardizer) { Checkpoint = checkpoint };
        Metadata.WriteTo(model);
        ClassifierOptionsEntries.Write(_options, model.Metadata);
        return model;
    }

    /// <summary>
    /// Trains on labelled samples (continuing from the current weights if already fitted). A first call that fails
    /// before its first training step (bad shapes or labels, a cancelled token) leaves the classifier unfitted.
    /// </summary>
    /// <param name="features">The samples, [n x features], n ≥ 1; raw (the classifier standardises them under <see cref="MlpClassifierOptions.Standardize"/>).</param>
    /// <param name="labels">The class of each sample, 0 .. classes − 1 (see <see cref="MlpClassifierOptions.ClassCount"/>).</param>
    /// <param name="progress">Receives each epoch's metrics.</param>
    /// <param name="cancellationToken">Stops after the current minibatch with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The history of all epochs so far.</returns>
    /// <exception cref="ArgumentException">No samples, shapes or labels that do not fit, or labels that leave a class unseen when the classes come from them.</exception>
    /// <exception cref="InvalidOperationException">Fit is running already, or the network outputs probabilities of its own softmax (it can only predict).</exception>
    public TrainingHistory Fit(Matrix<T> features, ReadOnlySpan<int> labels, IProgress<EpochMetrics>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(features, labels, null, default, progress, null, cancellationToken);

    /// <summary>Trains with an explicit validation set.</summary>
    /// <param name="features">The samples, [n x features], n ≥ 1.</param>
    /// <param name="labels">Their classes.</param>
    /// <param name="validationFeatures">Validation samples (raw, as <paramref name="features"/>), or null.</param>
    /// <param name="validationLabels">Their classes.</param>
    /// <param name="progress">Receives each epoch's metrics.</param>
    /// <param name="batchProgress">Receives progress after each minibatch.</param>
    /// <param name="cancellationToken">Stops after the current minibatch with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The history of all epochs so far.</returns>
    /// <exception cref="ArgumentException">No samples, shapes or labels that do not fit (another feature count than the classifier was fitted on, a label beyond the classes), labels that leave a class unseen when the classes come from them, or validation features with a NaN or an infinity.</exception>
    /// <exception cref="InvalidOperationException">Fit is running on this classifier already, another classifier or trainer is training its network, or the network outputs probabilities of its own softmax (it can only predict).</exception>
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
        CheckSamples(features, labels, nameof(features), nameof(labels));
        if (validationFeatures is not null)
        {
            CheckSamples(validationFeatures, validationLabels, nameof(validationFeatures), nameof(validationLabels));
            if (validationFeatures.Columns != features.Columns)
            {
                throw new ArgumentException($"The validation samples have {validationFeatures.Columns} features but the training samples {features.Columns}.", nameof(validationFeatures));
            }

            ValidationData.ThrowIfNotFinite(validationFeatures, nameof(validationFeatures));
        }
        else if (validationLabels.Length > 0)
        {
            throw new ArgumentException($"{validationLabels.Length} validation labels but no validation features: pass both, or neither.", nameof(validationLabels));
        }

        if (_network is not null && features.Columns != _network.InputSize)
        {
            throw new ArgumentException($"The classifier was fitted on {_network.InputSize} features but these samples have {features.Columns}.", nameof(features));
        }

        if (_network is not null && _outputsProbabilities)
        {
            throw new InvalidOperationException("The network ends in a softmax of its own (it outputs probabilities, not logits), so it can predict but not train: a classifier trains a network that ends in logits.");
        }

        bool first = _network is null;
        Network<T> network = _network ?? Build(features.Columns, ClassesFor(labels, validationFeatures is null ? default : validationLabels));
        Matrix<T> targets = Data.OneHot.Encode<T>(labels, network.OutputSize, nameof(labels));
        Matrix<T>? validationTargets = validationFeatures is null ? null : Data.OneHot.Encode<T>(validationLabels, network.OutputSize, nameof(validationLabels));
        Standardizer<T>? standardizer = _standardizer ?? (first && _options.Standardize ? FitStandardizer(features, validationFeatures is not null) : null);
        if (standardizer is not null)
        {
            features = standardizer.Transform(features);
            validationFeatures = validationFeatures is null ? null : standardizer.Transform(validationFeatures);
        }

        Trainer<T> trainer = CurrentTrainer(network);
        (_network, _standardizer, _trainer, _checkpoint) = (network, standardizer, trainer, null);
        try
        {
            return trainer.Fit(features, targets, validationFeatures, validationTargets, progress, batchProgress, cancellationToken);
        }
        catch when (first && trainer.StepsCompleted == 0)
        {
            // Nothing was trained: a classifier that was not fitted stays so, rather than keep a random network
            // whose class count came from labels that were rejected.
            (_network, _standardizer, _trainer) = (null, null, null);
            throw;
        }
    }

    /// <summary>The most probable class of each sample.</summary>
    /// <param name="features">The samples, [n x features], raw.</param>
    /// <returns>The classes.</returns>
    /// <exception cref="ArgumentException">The samples do not have <see cref="FeatureCount"/> features.</exception>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public int[] Predict(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var labels = new int[features.Rows];
        Predict(features, labels);
        return labels;
    }

    /// <summary>The most probable class of each sample, into <paramref name="labels"/>; thread-safe.</summary>
    /// <param name="features">The samples, [n x features], raw.</param>
    /// <param name="labels">Receives n classes.</param>
    /// <exception cref="ArgumentException">The samples do not have <see cref="FeatureCount"/> features, or <paramref name="labels"/> another length than the rows.</exception>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public void Predict(ReadOnlyMatrixSpan<T> features, Span<int> labels)
    {
        if (labels.Length != features.Rows)
        {
            throw new ArgumentException($"{features.Rows} samples but room for {labels.Length} labels.", nameof(labels));
        }

        int classes = ClassCount;
        T[] outputs = ArrayPool<T>.Shared.Rent(Math.Min(BlockRows, features.Rows) * classes);
        try
        {
            for (int start = 0; start < features.Rows; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, features.Rows - start);
                var block = new MatrixSpan<T>(outputs.AsSpan(0, rows * classes), rows, classes);
                Outputs(features.Slice(start, rows), block);
                Kernels.ArgMaxRows<T>(block, labels.Slice(start, rows));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(outputs);
        }
    }

    /// <summary>The most probable class of one sample; thread-safe and allocation-free.</summary>
    /// <param name="features">The sample's features, raw.</param>
    /// <returns>The class.</returns>
    /// <exception cref="ArgumentException">The sample does not have <see cref="FeatureCount"/> features.</exception>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public int Predict(ReadOnlySpan<T> features)
    {
        int classes = ClassCount;
        T[]? rented = classes <= MaxStackValues ? null : ArrayPool<T>.Shared.Rent(classes);
        Span<T> outputs = rented is null ? stackalloc T[classes] : rented.AsSpan(0, classes);
        try
        {
            Outputs(features, outputs);
            return Kernels.ArgMax<T>(outputs);
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
    /// <param name="features">The samples, raw.</param>
    /// <returns>[n x classes] probabilities.</returns>
    /// <exception cref="ArgumentException">The samples do not have <see cref="FeatureCount"/> features.</exception>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public Matrix<T> PredictProba(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var probabilities = new Matrix<T>(features.Rows, ClassCount);
        PredictProba(features, probabilities);
        return probabilities;
    }

    /// <summary>Class probabilities of a batch into <paramref name="probabilities"/>; thread-safe and allocation-free.</summary>
    /// <param name="features">The samples, [n x features], raw.</param>
    /// <param name="probabilities">Receives [n x classes] probabilities.</param>
    /// <exception cref="ArgumentException">The shapes do not fit the classifier.</exception>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public void PredictProba(ReadOnlyMatrixSpan<T> features, MatrixSpan<T> probabilities)
    {
        if (probabilities.Rows != features.Rows || probabilities.Columns != ClassCount)
        {
            throw new ArgumentException($"{features.Rows} samples of {ClassCount} classes need [{features.Rows} x {ClassCount}] probabilities, not [{probabilities.Rows} x {probabilities.Columns}].", nameof(probabilities));
        }

        for (int start = 0; start < features.Rows; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, features.Rows - start);
            MatrixSpan<T> block = probabilities.Slice(start, rows);
            Outputs(features.Slice(start, rows), block);
            if (!_outputsProbabilities)
            {
                Kernels.SoftmaxRows<T>(block, block);
            }
        }
    }

    /// <summary>Class probabilities of one sample; thread-safe and allocation-free.</summary>
    /// <param name="features">The sample's features, raw.</param>
    /// <param name="probabilities">Receives one probability per class.</param>
    /// <exception cref="ArgumentException">A length does not fit the classifier.</exception>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public void PredictProba(ReadOnlySpan<T> features, Span<T> probabilities)
    {
        Outputs(features, probabilities);
        if (!_outputsProbabilities)
        {
            Kernels.Softmax<T>(probabilities, probabilities);
        }
    }

    /// <summary>The accuracy: the fraction of samples whose predicted class is their label.</summary>
    /// <param name="features">The samples, raw.</param>
    /// <param name="labels">Their classes.</param>
    /// <returns>The accuracy in [0, 1]; NaN for no samples (as <see cref="Trainer{T}.Evaluate"/>).</returns>
    /// <exception cref="ArgumentException">The number of labels differs from the number of samples, or the samples do not have <see cref="FeatureCount"/> features.</exception>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
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
    /// <param name="features">The samples, [n x features], raw; at least one.</param>
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

    /// <summary>The classifier of a loaded model; <paramref name="what"/> names the file in messages about its metadata.</summary>
    private static MlpClassifier<T> FromModel(SavedModel<T> model, string what)
    {
        try
        {
            return new MlpClassifier<T>(model);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"The {what} holds no usable classifier: {e.Message}", e);
        }
    }

    /// <summary>The network's outputs for raw samples: standardised block by block into pooled scratch when there is a standardiser.</summary>
    private void Outputs(ReadOnlyMatrixSpan<T> features, MatrixSpan<T> outputs)
    {
        Network<T> network = Network;
        if (features.Columns != network.InputSize)
        {
            throw new ArgumentException($"The samples have {features.Columns} features but the classifier takes {network.InputSize}.", nameof(features));
        }

        if (_standardizer is null || features.Rows == 0)
        {
            network.Predict(features, outputs);
            return;
        }

        T[] scratch = ArrayPool<T>.Shared.Rent(features.Rows * features.Columns);
        try
        {
            var standardized = new MatrixSpan<T>(scratch.AsSpan(0, features.Rows * features.Columns), features.Rows, features.Columns);
            _standardizer.Transform(features, standardized);
            network.Predict(standardized, outputs);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>The network's outputs for one raw sample.</summary>
    private void Outputs(ReadOnlySpan<T> features, Span<T> outputs)
    {
        Network<T> network = Network;
        if (features.Length != network.InputSize)
        {
            throw new ArgumentException($"The sample has {features.Length} features but the classifier takes {network.InputSize}.", nameof(features));
        }

        if (_standardizer is null)
        {
            network.Predict(features, outputs);
            return;
        }

        T[]? rented = features.Length <= MaxStackValues ? null : ArrayPool<T>.Shared.Rent(features.Length);
        Span<T> standardized = rented is null ? stackalloc T[features.Length] : rented.AsSpan(0, features.Length);
        try
        {
            _standardizer.Transform(features, standardized);
            network.Predict(standardized, outputs);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<T>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The trainer for this Fit: the current one, unless <see cref="Epochs"/> or <see cref="MaxDegreeOfParallelism"/>
    /// changed since it was built (a trainer's options are fixed), in which case it and a loaded checkpoint are resumed
    /// with the current options, which continues exactly.
    /// </summary>
    private Trainer<T> CurrentTrainer(Network<T> network)
    {
        TrainingOptions options = _options.Training;
        if (_trainer is not null && _trainer.Options is var used && used.Epochs == options.Epochs && used.MaxDegreeOfParallelism == options.MaxDegreeOfParallelism)
        {
            return _trainer;
        }

        TrainingCheckpoint? checkpoint = _trainer?.CreateCheckpoint() ?? _checkpoint;
        if (checkpoint is null)
        {
            return new Trainer<T>(network, CreateLoss(), CreateOptimizer(), options);
        }

        Trainer<T> trainer = Trainer<T>.Resume(network, CreateLoss(), checkpoint, options);
        trainer.Optimizer.LearningRate = _learningRate;
        return trainer;
    }

    private Network<T> Build(int features, int classes)
    {
        NetworkBuilder<T> builder = Network<T>.Create(features, _options.Training.Seed);
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
        network.MaxDegreeOfParallelism = _options.Training.MaxDegreeOfParallelism;
        return network;
    }

    /// <summary>The standardiser of the rows that train: those <see cref="TrainingOptions.ValidationFraction"/> does not hold out (as the trainer counts them) when no validation set is given.</summary>
    private Standardizer<T> FitStandardizer(Matrix<T> features, bool validationGiven)
    {
        int heldOut = validationGiven ? 0 : (int)(features.Rows * _options.Training.ValidationFraction);
        return Standardizer<T>.Fit(features.Slice(0, Math.Max(1, features.Rows - heldOut)));
    }

    private Loss<T> CreateLoss() => _options.Output == OutputLayer.Sigmoid ? new SigmoidCrossEntropy<T>() : new SoftmaxCrossEntropy<T>();

    private Optimizer<T> CreateOptimizer() => _options.Optimizer.Create<T>(_learningRate, _options);

    private static void CheckSamples(Matrix<T> features, ReadOnlySpan<int> labels, string featuresName, string labelsName)
    {
        ArgumentNullException.ThrowIfNull(features, featuresName);
        if (features.Rows == 0)
        {
            throw new ArgumentException($"There are no samples ([0 x {features.Columns}]); a Fit needs at least one.", featuresName);
        }

        if (labels.Length != features.Rows)
        {
            throw new ArgumentException($"{features.Rows} samples but {labels.Length} labels.", labelsName);
        }
    }

    /// <summary>
    /// The output count of a new network: <see cref="MlpClassifierOptions.ClassCount"/>, else 0 to the largest label
    /// (validation labels included), each of which must occur among the training labels.
    /// </summary>
    private int ClassesFor(ReadOnlySpan<int> labels, ReadOnlySpan<int> validationLabels)
    {
        if (_options.ClassCount > 0)
        {
            return _options.ClassCount;
        }

        (int max, int index, string name) = Largest(labels, nameof(labels));
        (int validationMax, int validationIndex, _) = Largest(validationLabels, nameof(validationLabels));
        if (validationMax > max)
        {
            (max, index, name) = (validationMax, validationIndex, nameof(validationLabels));
        }

        // At most labels.Length distinct classes can occur, so the search for the first missing one stays within that.
        var seen = new bool[Math.Min(max, labels.Length) + 1];
        foreach (int label in labels)
        {
            if (label < seen.Length)
            {
                seen[label] = true;
            }
        }

        int missing = Array.IndexOf(seen, false);
        if (missing >= 0)
        {
            throw new ArgumentException(
                $"Without ClassCount the classes are 0 to the largest label, {max} ({name}[{index}]), and each must occur among the training labels, but class {missing} never does: set MlpClassifierOptions.ClassCount to declare the classes, or remove the stray label.",
                name);
        }

        if (max < 1)
        {
            throw new ArgumentException("Every label is 0, one class; a classifier needs at least 2: set MlpClassifierOptions.ClassCount to declare the classes.", nameof(labels));
        }

        return max + 1;
    }

    /// <summary>The largest label and its index (−1 for none).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is negative.</exception>
    private static (int Max, int Index, string Name) Largest(ReadOnlySpan<int> labels, string name)
    {
        (int max, int index) = (-1, -1);
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
            {
                throw new ArgumentOutOfRangeException(name, $"Label {labels[i]} at index {i} is negative.");
            }

            if (labels[i] > max)
            {
                (max, index) = (labels[i], i);
            }
        }

        return (max, index, name);
    }

    private static InvalidOperationException NotFitted() => new("The classifier has no network yet: call Fit first (or Load a saved one).");
}
