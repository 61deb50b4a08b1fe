using Backprop.Simd.Diagnostics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Layers;

/// <summary>
/// GELU and SiLU, whose backward passes read the pre-activation, inside networks in double: right after a dense layer
/// (the fused stage, which must keep the pre-activation) and after another activation (a stage of their own): gradients
/// against finite differences, and training passes that compute what inference does.
/// </summary>
[Trait("Category", "Gradients")]
public sealed class InputReadingActivationTests
{
    private static readonly LabelledData<double> s_data = SyntheticData.Blobs<double>(10, 3, 2, seed: 21);

    [Theory]
    [InlineData("gelu", true)]
    [InlineData("gelu", false)]
    [InlineData("silu", true)]
    [InlineData("silu", false)]
    public void Gradients_match_finite_differences_fused_and_alone(string name, bool fused)
    {
        Activation activation = Activation.Parse(name);
        var random = new SeededRandom(5);
        var first = new Dense<double>(3, 6, WeightInitialization.GlorotUniform, random);
        Layer<double> layer = activation.CreateLayer<double>(6)!;
        Layer<double>[] layers = fused
            ? [first, layer, new Dense<double>(6, 2, WeightInitialization.GlorotUniform, random)]
            : [first, new Tanh<double>(6), layer, new Dense<double>(6, 2, WeightInitialization.GlorotUniform, random)];
        var network = new Network<double>(layers);
        Assert.True(((ActivationLayer<double>)layer).BackwardUsesInput);

        GradientCheckReport report = GradientCheck.Check(network, new SoftmaxCrossEntropy<double>(), s_data.Inputs, s_data.Targets);
        Assert.True(report.MaxRelativeError < 1e-7, report.ToString());

        // A training pass, which keeps the pre-activation, computes what inference computes in place.
        Assert.Equal(network.Predict(s_data.Inputs).AsSpan().ToArray(), network.Forward(s_data.Inputs, training: true).Span.ToArray());
    }
}
