using Backprop.Simd.Losses;
using Backprop.Simd.Models;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>
/// The settings of one training run under the notebook's rule: sigmoid units everywhere, weights and biases
/// uniform(−1, 1), delta = output − one-hot (sigmoid outputs with binary cross-entropy), gradients summed over the
/// minibatch, the L2 gradient l2 · w on weights only, plain SGD, the training set split once into
/// <see cref="BatchCount"/> parts as numpy's <c>array_split</c> does and never reshuffled.
/// </summary>
/// <remarks>
/// The init-only properties hold the notebook's constants; a study that varies the rule (half the learning rate, the
/// mean over a batch, reshuffling every epoch) derives a recipe with <c>with</c>.
/// </remarks>
/// <param name="Hidden">The widths of the sigmoid hidden layers, for example [50] or [250, 50, 10].</param>
/// <param name="Input">Raw or standardised pixels.</param>
/// <param name="Epochs">The notebook's <c>epochs</c>.</param>
/// <param name="LearningRate">The notebook's <c>learning_rate</c>.</param>
internal sealed record NotebookRecipe(IReadOnlyList<int> Hidden, NotebookInput Input, int Epochs, double LearningRate)
{
    /// <summary>The notebook's <c>l2</c>.</summary>
    public double L2 { get; init; } = 0.5;

    /// <summary>The notebook's <c>n_batches</c>.</summary>
    public int BatchCount { get; init; } = 25;

    /// <summary>How a minibatch's gradients combine: the notebook sums them.</summary>
    public Reduction Reduction { get; init; } = Reduction.Sum;

    /// <summary>Whether to reshuffle the training set every epoch: the notebook never does.</summary>
    public bool Reshuffle { get; init; }

    /// <summary>
    /// The parallel shards of a minibatch (<see cref="Backprop.Simd.Training.TrainingOptions.Shards"/>): they change only the order of the
    /// gradient's sums, so another count replays the same rule with other rounding.
    /// </summary>
    public int Shards { get; init; } = 2;

    /// <summary>Whether to record every step's objective and gradient norm (<see cref="Backprop.Simd.Training.TrainingOptions.RecordSteps"/>): a measurement, the training is the same.</summary>
    public bool RecordSteps { get; init; }

    /// <summary>"[250, 50, 10]".</summary>
    public string HiddenText => "[" + string.Join(", ", Hidden) + "]";

    /// <summary>"raw pixels" or "standardised".</summary>
    public string InputText => Input == NotebookInput.Raw ? "raw pixels" : "standardised";

    /// <summary>The classifier options for <paramref name="epochs"/> epochs of this recipe.</summary>
    /// <param name="epochs">The epochs of the <c>Fit</c> call.</param>
    /// <param name="seed">The seed of any reshuffling.</param>
    /// <param name="threads">The most threads; 0 for all.</param>
    public MlpClassifierOptions ToOptions(int epochs, ulong seed, int threads)
    {
        MlpClassifierOptions options = MlpClassifierOptions.Notebook(Hidden, LearningRate, L2, epochs, BatchCount, seed);
        options.Training.Reduction = Reduction;
        options.Training.Shuffle = Reshuffle;
        options.Training.Shards = Shards;
        options.Training.RecordSteps = RecordSteps;
        options.Training.MaxDegreeOfParallelism = threads;
        return options;
    }

    /// <summary>Multiply-adds of one sample's forward pass through the dense layers, a measure of the work per epoch.</summary>
    /// <param name="features">The input width.</param>
    /// <param name="classes">The output width.</param>
    public long MultiplyAddsPerSample(int features, int classes)
    {
        long total = 0;
        int previous = features;
        foreach (int width in Hidden.Append(classes))
        {
            total += (long)previous * width;
            previous = width;
        }

        return total;
    }
}
