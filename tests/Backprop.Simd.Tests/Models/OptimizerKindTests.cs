using Backprop.Simd.Models;
using Backprop.Simd.Optimizers;

namespace Backprop.Simd.Tests.Models;

/// <summary>
/// Each optimizer kind says which of the classifier's options it takes (the tool's help reads it), and that is what
/// building it uses; the optimizer it builds is of that kind.
/// </summary>
public sealed class OptimizerKindTests
{
    public static TheoryData<string> Kinds => [.. OptimizerKind.All.Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_kind_takes_exactly_the_options_it_declares(string name)
    {
        Assert.True(OptimizerKind.TryParse(name, out OptimizerKind? kind));
        IReadOnlyList<KeyValuePair<string, double>> Built(double momentum, double weightDecay) =>
            kind.Create<double>(0.01, new MlpClassifierOptions { Optimizer = kind, Momentum = momentum, WeightDecay = weightDecay }).Hyperparameters;

        IReadOnlyList<KeyValuePair<string, double>> reference = Built(0.5, 0.02);
        Assert.Equal(kind.TakesMomentum, !Built(0.6, 0.02).SequenceEqual(reference));
        Assert.Equal(kind.TakesWeightDecay, !Built(0.5, 0.03).SequenceEqual(reference));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_optimizer_a_kind_builds_is_of_that_kind(string name)
    {
        Assert.True(OptimizerKind.TryParse(name, out OptimizerKind? kind));
        Optimizer<float> optimizer = kind.Create<float>(0.01, new MlpClassifierOptions { Optimizer = kind });
        Assert.Same(kind, OptimizerKind.Of(optimizer));
    }
}
