using Backprop.Simd.Diagnostics;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Simd.Tests.Diagnostics;

/// <summary>
/// Backpropagation against finite differences in double over random architectures: depth 1-4, widths 1-16, every
/// activation, every loss, L1/L2, mean and sum, batch 1-8, random weights and inputs.
/// </summary>
[Trait("Category", "Gradients")]
public sealed class GradientCheckPropertyTests
{
    private static readonly Activation[] s_hidden = [Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu, Activation.Gelu, Activation.Silu, Activation.Identity, Activation.Softmax];

    internal static Arbitrary<NetworkCase> Cases(bool dropout) =>
        (from depth in Gen.Choose(1, 4)
         from input in Gen.Choose(1, 16)
         from widths in Gen.ArrayOf(Gen.Choose(1, 16), depth)
         from activations in Gen.ArrayOf(Gen.Elements(s_hidden), depth)
         from loss in Gen.Elements(Enum.GetValues<LossKind>())
         from l1 in Gen.Elements(0.0, 0.0, 0.01)
         from l2 in Gen.Elements(0.0, 0.0, 0.1)
         from reduction in Gen.Elements(Reduction.Mean, Reduction.Sum)
         from batch in Gen.Choose(1, 8)
         from seed in Gen.Choose(0, int.MaxValue)
         select Shape(input, widths, activations, loss, l1, l2, reduction, batch, dropout, (ulong)seed)).ToArbitrary();

    /// <summary>Fixes the last layer to what the loss expects (sigmoid for BCE, softmax for the fused softmax case, linear for logits).</summary>
    private static NetworkCase Shape(int input, int[] widths, Activation[] activations, LossKind loss, double l1, double l2, Reduction reduction, int batch, bool dropout, ulong seed)
    {
        activations[^1] = loss switch
        {
            LossKind.SigmoidBinaryCrossEntropy => Activation.Sigmoid,
            LossKind.SoftmaxLayerCrossEntropy => Activation.Softmax,
            LossKind.MeanSquaredError => activations[^1] == Activation.Softmax ? Activation.Tanh : activations[^1],
            _ => Activation.Identity,
        };
        if (loss is LossKind.SoftmaxCrossEntropyOnLogits or LossKind.SoftmaxLayerCrossEntropy)
        {
            widths[^1] = Math.Max(2, widths[^1]);
        }

        return new NetworkCase(input, widths, activations, loss, l1, l2, reduction, batch, dropout, seed);
    }

    /// <remarks>
    /// Seeded, like the dropout property, so that every run checks the same cases: unseeded runs of 12,000 cases find
    /// about one random ReLU-family network in 4,000–8,000 where several rows' units lie within a step of their kinks
    /// at once and the finite differences' kink tests miss it (GradientCheck's documented limit). Run with other seeds
    /// (or without Replay) to explore.
    /// </remarks>
    [Property(MaxTest = 120, Replay = "(20261129,7)")]
    public Property Backpropagation_matches_finite_differences_in_double() => Prop.ForAll(Cases(dropout: false), c =>
    {
        var (network, loss, inputs, targets) = RandomNetworks.Build<double>(c);
        GradientCheckReport report = GradientCheck.Check(network, loss, inputs, targets, c.Reduction, c.L1, c.L2);
        Assert.True(report.MaxRelativeError < 1e-6, $"{c}\n{report}");
        Assert.True(report.Skipped <= report.Count / 10, $"too many kinks skipped: {c}\n{report}");
    });

    /// <summary>Dropout with a fixed key is a fixed mask: the network stays differentiable and must check too.</summary>
    [Property(MaxTest = 30, Replay = "(20261129,11)")]
    public Property Backpropagation_through_dropout_matches_finite_differences() => Prop.ForAll(Cases(dropout: true), c =>
    {
        var (network, loss, inputs, targets) = RandomNetworks.Build<double>(c);
        GradientCheckReport report = GradientCheck.Check(network, loss, inputs, targets, c.Reduction, c.L1, c.L2);
        Assert.True(report.MaxRelativeError < 1e-6, $"{c}\n{report}");
    });

    /// <summary>The float network computes what the double one does, within float precision: outputs, loss and gradients.</summary>
    [Property(MaxTest = 60)]
    public Property Float_network_agrees_with_the_double_network() => Prop.ForAll(Cases(dropout: false), c =>
    {
        var (network64, loss64, inputs64, targets64) = RandomNetworks.Build<double>(c);
        var (network32, loss32, inputs32, targets32) = RandomNetworks.Build<float>(c);
        double l64 = network64.AccumulateGradients(inputs64, targets64, loss64, c.Reduction);
        double l32 = network32.AccumulateGradients(inputs32, targets32, loss32, c.Reduction);
        Assert.True(Math.Abs(l64 - l32) <= 1e-4 * Math.Max(1, Math.Abs(l64)), $"loss {l32} vs {l64}: {c}");

        ReadOnlySpan<double> g64 = network64.Gradients;
        ReadOnlySpan<float> g32 = network32.Gradients;
        double scale = 0;
        foreach (double g in g64)
        {
            scale = Math.Max(scale, Math.Abs(g));
        }

        for (int i = 0; i < g64.Length; i++)
        {
            Assert.True(Math.Abs(g64[i] - g32[i]) <= (1e-4 * Math.Abs(g64[i])) + (1e-4 * scale) + 1e-6, $"gradient {i}: {g32[i]} vs {g64[i]} (scale {scale}): {c}");
        }
    });
}
