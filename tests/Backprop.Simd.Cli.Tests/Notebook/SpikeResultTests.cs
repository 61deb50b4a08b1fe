using Backprop.Simd.Cli.Notebook;
using Backprop.Simd.Losses;

namespace Backprop.Simd.Cli.Tests.Notebook;

public sealed class SpikeResultTests
{
    [Fact]
    public void A_spike_starts_where_the_error_passes_one_and_a_half_times_its_recent_low_and_counts_once()
    {
        // A descent, a spike of two epochs at 6 and 7, recovery, a second spike at 14; 1.4 times the low is no spike.
        double[] errors = [100, 80, 60, 50, 45, 90, 95, 50, 44, 43, 42, 41, 57, 70, 40];

        Assert.Equal([6, 14], SpikeResult.Rises(errors, SpikeResult.SpikeFactor));
    }

    [Fact]
    public void A_spike_is_measured_against_the_lowest_of_the_five_epochs_before_not_only_the_last()
    {
        // Epoch 7 is 1.2 times epoch 6 but 1.8 times epoch 3, the low of the five before it.
        double[] errors = [100, 50, 10, 12, 14, 15, 18];

        Assert.Equal([7], SpikeResult.Rises(errors, SpikeResult.SpikeFactor));
    }

    [Fact]
    public void A_burst_needs_three_times_the_recent_low()
    {
        // 700 is 2.9 times the low of 240 before it, 800 is 3.3 times; 720 is 3.1 times the new low of 230.
        double[] norms = [600, 400, 300, 250, 240, 700, 800, 250, 230, 720];

        Assert.Equal([7, 10], SpikeResult.Rises(norms, SpikeResult.BurstFactor));
    }

    [Fact]
    public void The_variants_change_one_thing_each_and_the_mean_makes_the_published_update()
    {
        NotebookRecipe published = NotebookExperiment.All[5].Recipe;

        IReadOnlyList<SpikeVariant> variants = SpikeVariant.Of(published, 2380);

        Assert.Equal(["published", "half lr", "mean", "reshuffle"], variants.Select(v => v.Name));
        Assert.Same(published, variants[0].Recipe);
        Assert.Equal(published with { LearningRate = 0.0005 }, variants[1].Recipe);
        Assert.Equal(published with { Reshuffle = true }, variants[3].Recipe);
        NotebookRecipe mean = variants[2].Recipe;
        Assert.Equal(Reduction.Mean, mean.Reduction);

        // lr' (g / B + l2' w) with lr' = lr B and l2' = l2 / B is lr (g + l2 w): the published step.
        Assert.Equal(published.LearningRate, mean.LearningRate / 2380, 15);
        Assert.Equal(published.L2, mean.L2 * 2380, 12);
        Assert.Equal([1.0, 1, 2380, 1], variants.Select(v => v.ObjectiveScale));
    }
}
