using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Training;

namespace Backprop.Simd.Models;

/// <summary>
/// The hyperparameters of an <see cref="MlpClassifier{T}"/>. The defaults are a modern recipe (ReLU, He
/// initialisation, softmax cross-entropy, Adam, minibatches of 32, reshuffled). The original notebook's recipe is
/// <see cref="Notebook"/>.
/// </summary>
public sealed class MlpClassifierOptions
{
    /// <summary>The widths of the hidden layers, first to last; empty for a linear (softmax regression) model. Default [100].</summary>
    public IReadOnlyList<int> HiddenLayers { get; set; } = [100];

    /// <summary>
    /// The number of classes; every label must be below it. 0 (default) takes the classes from the labels of the first
    /// <c>Fit</c>: 0 to the largest training or validation label, each of which must occur among the training labels,
    /// so that a stray label (a 42 among ten digits) is refused, naming its index, instead of making 43 classes. Set it
    /// when the training labels may miss a class (a subset, a test set with more), so that the network has an output for each.
    /// </summary>
    public int ClassCount { get; set; }

    /// <summary>The activation of the hidden layers. Default ReLU.</summary>
    public Activation HiddenActivation { get; set; } = Activation.Relu;

    /// <summary>The output layer and its loss. Default softmax.</summary>
    public OutputLayer Output { get; set; } = OutputLayer.Softmax;

    /// <summary>The weight initialisation of every layer; null (default) picks He for ReLU-like hidden layers, Glorot for the other hidden layers and the output layer.</summary>
    public WeightInitialization? Initialization { get; set; }

    /// <summary>Dropout rate after each hidden activation; 0 (default) for none.</summary>
    public double Dropout { get; set; }

    /// <summary>The optimizer. Default Adam.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>The base learning rate. Default 0.001.</summary>
    public double LearningRate { get; set; } = 0.001;

    /// <summary>Momentum, for the optimizers that take it (<see cref="OptimizerKind.TakesMomentum"/>). Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Decoupled weight decay for AdamW. Default 0.01.</summary>
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>
    /// Standardise the inputs: the first <c>Fit</c> fits a <see cref="Standardizer{T}"/> on its training rows (those
    /// not held out by <see cref="TrainingOptions.ValidationFraction"/>), and every <c>Fit</c>, <c>Predict</c>,
    /// <c>PredictProba</c>, <c>Score</c> and <c>Evaluate</c> applies it to the raw features they are given; it is saved
    /// with the model. Default false (features are used as they are).
    /// </summary>
    public bool Standardize { get; set; }

    /// <summary>
    /// How the network trains: epochs per <c>Fit</c>, minibatches, shuffling, shards, threads, reduction, L1/L2,
    /// validation, early stopping and the learning-rate schedule. Its <see cref="TrainingOptions.Seed"/> also seeds the
    /// weight initialisation. Set its members in an initializer: <c>Training = { Epochs = 5, BatchSize = 64 }</c>.
    /// </summary>
    public TrainingOptions Training { get; set; } = new();

    /// <summary>
    /// The original notebook's recipe: sigmoid hidden units, one sigmoid per class with cross-entropy, weights uniform
    /// in (−1, 1), plain SGD on gradients summed over <paramref name="batchCount"/> equal minibatches taken in order.
    /// </summary>
    /// <param name="hiddenLayers">The hidden widths, for example [50] or [250, 50, 10].</param>
    /// <param name="learningRate">The notebook's <c>learning_rate</c> (it uses 0.001).</param>
    /// <param name="l2">The notebook's <c>l2</c>.</param>
    /// <param name="epochs">The notebook's <c>epochs</c>.</param>
    /// <param name="batchCount">The notebook's <c>n_batches</c>.</param>
    /// <param name="seed">The notebook's <c>random_seed</c>.</param>
    /// <returns>The options.</returns>
    public static MlpClassifierOptions Notebook(IReadOnlyList<int> hiddenLayers, double learningRate = 0.001, double l2 = 0, int epochs = 50, int batchCount = 25, ulong seed = 1) => new()
    {
        HiddenLayers = hiddenLayers,
        HiddenActivation = Activation.Sigmoid,
        Output = OutputLayer.Sigmoid,
        Initialization = WeightInitialization.UniformUnit,
        Optimizer = OptimizerKind.Sgd,
        Momentum = 0,
        LearningRate = learningRate,
        Training = new TrainingOptions
        {
            L2 = l2,
            Epochs = epochs,
            BatchCount = batchCount,
            Shuffle = false,
            Reduction = Reduction.Sum,
            Seed = seed,
        },
    };

    /// <summary>A copy (with its own copies of <see cref="HiddenLayers"/> and <see cref="Training"/>).</summary>
    /// <returns>The copy.</returns>
    public MlpClassifierOptions Clone()
    {
        var copy = (MlpClassifierOptions)MemberwiseClone();
        copy.HiddenLayers = HiddenLayers is null ? null! : [.. HiddenLayers];
        copy.Training = Training?.Clone()!;
        return copy;
    }

    /// <summary>
    /// Throws naming the first invalid option: the classifier's constructor calls this, so that a bad option fails
    /// there rather than in <c>Fit</c> after the network is built.
    /// </summary>
    /// <exception cref="ArgumentNullException"><see cref="HiddenLayers"/>, <see cref="HiddenActivation"/>, <see cref="Optimizer"/>, <see cref="Training"/> or its schedule is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range or not a defined enum value; <see cref="TrainingOptions.Epochs"/> is 0 (a <c>Fit</c> must train).</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(HiddenLayers, nameof(HiddenLayers));
        for (int i = 0; i < HiddenLayers.Count; i++)
        {
            if (HiddenLayers[i] <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers[i], $"Hidden layer {i} has width {HiddenLayers[i]}; widths must be positive.");
            }
        }

        if (ClassCount is < 0 or 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ClassCount), ClassCount, "The class count must be 0 (from the labels) or at least 2.");
        }

        ArgumentNullException.ThrowIfNull(HiddenActivation, nameof(HiddenActivation));
        ThrowIfUndefined(Output, nameof(Output));
        ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
        if (Initialization is { } initialization)
        {
            ThrowIfUndefined(initialization, nameof(Initialization));
        }

        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "The dropout rate must be in [0, 1).");
        }

        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        }

        if (!(Momentum >= 0 && Momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        }

        if (Optimizer == OptimizerKind.Nesterov && Momentum == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Nesterov momentum needs a positive Momentum.");
        }

        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "The weight decay must be non-negative and finite.");
        }

        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        Training.Validate();
        CheckEpochs(Training.Epochs, nameof(TrainingOptions.Epochs));
    }

    /// <summary>Throws unless <paramref name="epochs"/> is positive: a classifier's <c>Fit</c> that trained nothing would leave it looking fitted.</summary>
    internal static void CheckEpochs(int epochs, string name)
    {
        if (epochs <= 0)
        {
            throw new ArgumentOutOfRangeException(name, epochs, "A classifier trains at least one epoch per Fit.");
        }
    }

    private static void ThrowIfUndefined<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{value} is not a {typeof(TEnum).Name}.");
        }
    }
}
