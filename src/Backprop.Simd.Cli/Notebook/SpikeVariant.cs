using Backprop.Simd.Losses;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>One run of the error-spike study: experiment 6's recipe, or a change of it that tests one candidate cause.</summary>
/// <param name="Name">A short name for tables, legends and JSON: "published", "half lr", "mean", "reshuffle".</param>
/// <param name="Change">What differs from the published run, in a few words.</param>
/// <param name="Recipe">How it trains.</param>
/// <param name="ObjectiveScale">
/// The factor that puts this run's objective and gradient on the published run's scale: the batch size for the mean,
/// whose objective is the summed one divided by it; 1 for the others.
/// </param>
internal sealed record SpikeVariant(string Name, string Change, NotebookRecipe Recipe, double ObjectiveScale)
{
    /// <summary>
    /// The published run and the three changes the notebook's question suggests. The mean over a batch takes the
    /// learning rate times the batch size and the L2 weight divided by it, which is the published update up to
    /// rounding: the sum itself is no cause, only the step it makes, and the step is what half the learning rate
    /// tests; the mean with the same learning rate would be a step 2,380 times smaller that hardly trains in these
    /// epochs. So the mean is the control: the same dynamics under other rounding.
    /// </summary>
    /// <param name="published">Experiment 6's recipe.</param>
    /// <param name="batchSize">The size of its minibatches (the first one's, where they differ by one).</param>
    /// <returns>The four variants, the published one first.</returns>
    public static IReadOnlyList<SpikeVariant> Of(NotebookRecipe published, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(published);
        return
        [
            new("published", "experiment 6 as published", published, 1),
            new("half lr", "half the learning rate", published with { LearningRate = published.LearningRate / 2 }, 1),
            new(
                "mean",
                $"mean over a batch, lr x {batchSize}, l2 / {batchSize}: same update",
                published with { Reduction = Reduction.Mean, LearningRate = published.LearningRate * batchSize, L2 = published.L2 / batchSize },
                batchSize),
            new("reshuffle", "reshuffled every epoch", published with { Reshuffle = true }, 1),
        ];
    }
}
