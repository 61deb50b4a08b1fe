using Backprop.Simd.Cli.Notebook;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Cli.Tests.Notebook;

public sealed class NotebookRecipeTests
{
    [Fact]
    public void The_rule_becomes_the_classifiers_notebook_options_and_a_variation_changes_only_what_it_names()
    {
        NotebookRecipe deep = NotebookExperiment.All[5].Recipe;

        MlpClassifierOptions options = deep.ToOptions(epochs: 7, seed: 42, threads: 1);

        Assert.Equal([250, 50, 10], options.HiddenLayers);
        Assert.Equal((Activation.Sigmoid, OutputLayer.Sigmoid, WeightInitialization.UniformUnit), (options.HiddenActivation, options.Output, options.Initialization));
        Assert.Equal((OptimizerKind.Sgd, 0.0, 0.001, 0.5), (options.Optimizer, options.Momentum, options.LearningRate, options.Training.L2));
        Assert.Equal((7, 25, false, Reduction.Sum, 2, 1), (options.Training.Epochs, options.Training.BatchCount, options.Training.Shuffle, options.Training.Reduction, options.Training.Shards, options.Training.MaxDegreeOfParallelism));

        MlpClassifierOptions varied = (deep with { Reduction = Reduction.Mean, Reshuffle = true, Shards = 4, LearningRate = 0.0005 }).ToOptions(7, 42, 1);
        Assert.Equal((Reduction.Mean, true, 4, 0.0005), (varied.Training.Reduction, varied.Training.Shuffle, varied.Training.Shards, varied.LearningRate));
        Assert.Equal(options.HiddenLayers, varied.HiddenLayers);
    }

    [Fact]
    public void Work_per_sample_counts_the_multiply_adds_of_every_dense_layer()
    {
        Assert.Equal((784 * 50) + (50 * 10), NotebookExperiment.All[0].Recipe.MultiplyAddsPerSample(784, 10));
        Assert.Equal((784 * 250) + (250 * 50) + (50 * 10) + (10 * 10), NotebookExperiment.All[5].Recipe.MultiplyAddsPerSample(784, 10));
    }
}
