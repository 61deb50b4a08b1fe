using Backprop.Simd.Diagnostics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Layers;

/// <summary>
/// An activation's backward pass receives the pre-activation when it says it needs it (as GELU and SiLU will), in the
/// fused dense + activation stage as alone; the others receive none, and the fused stage then works in place.
/// </summary>
public sealed class ActivationContractTests
{
    private static readonly LabelledData<double> s_data = SyntheticData.Blobs<double>(12, 3, 2, seed: 9);

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void The_backward_pass_gets_the_input_exactly_when_it_asks_and_the_gradients_are_right(bool usesInput, bool fused)
    {
        // Fused: Dense, probe (one stage). Alone: Dense, Tanh, probe (the probe is a stage of its own).
        var probe = new ProbeTanh(4, usesInput, new Calls());
        var random = new SeededRandom(4);
        Layer<double>[] layers = fused
            ? [new Dense<double>(3, 4, WeightInitialization.GlorotUniform, random), probe, new Dense<double>(4, 2, WeightInitialization.GlorotUniform, random)]
            : [new Dense<double>(3, 4, WeightInitialization.GlorotUniform, random), new Tanh<double>(4), probe, new Dense<double>(4, 2, WeightInitialization.GlorotUniform, random)];
        var network = new Network<double>(layers);

        GradientCheckReport report = GradientCheck.Check(network, new SoftmaxCrossEntropy<double>(), s_data.Inputs, s_data.Targets);
        Assert.True(report.MaxRelativeError < 1e-6, report.ToString());
        Assert.True(probe.Counted.All > 0);
        Assert.Equal(usesInput ? probe.Counted.All : 0, probe.Counted.WithInput);

        // Inference keeps no pre-activation, whichever the activation.
        Assert.Equal(network.Forward(s_data.Inputs).Span.ToArray(), network.Predict(s_data.Inputs).AsSpan().ToArray());
    }

    [Fact]
    public void Reading_the_input_or_the_output_gives_the_same_gradient()
    {
        double[] Gradients(bool usesInput)
        {
            var random = new SeededRandom(6);
            var network = new Network<double>([new Dense<double>(3, 5, WeightInitialization.GlorotUniform, random), new ProbeTanh(5, usesInput, new Calls()), new Dense<double>(5, 2, WeightInitialization.GlorotUniform, random)]);
            network.AccumulateGradients(s_data.Inputs, s_data.Targets, new SoftmaxCrossEntropy<double>());
            return network.Gradients.ToArray();
        }

        Assert.Equal(Gradients(false), Gradients(true), (a, b) => Math.Abs(a - b) <= 1e-14);
    }

    /// <summary>The backward calls of a probe and its replicas (gradients are computed on replicas), and those that got x.</summary>
    private sealed class Calls
    {
        public int All;

        public int WithInput;
    }

    /// <summary>tanh, whose backward pass reads x (1 − tanh² x) or y (1 − y²) as asked, counting the calls that got x.</summary>
    private sealed class ProbeTanh(int size, bool usesInput, Calls calls) : ActivationLayer<double>(size)
    {
        public Calls Counted => calls;

        public override bool BackwardUsesInput => usesInput;

        public override string Description => $"ProbeTanh({InputSize})";

        protected override void Activate(ReadOnlySpan<double> x, Span<double> y) => Kernels.Tanh(x, y);

        protected override void Backpropagate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx)
        {
            Interlocked.Increment(ref calls.All);
            if (x.IsEmpty)
            {
                Kernels.TanhBackward(y, dy, dx);
                return;
            }

            Interlocked.Increment(ref calls.WithInput);
            Assert.Equal(y.Length, x.Length);
            for (int i = 0; i < x.Length; i++)
            {
                double t = Math.Tanh(x[i]);
                dx[i] = dy[i] * (1 - (t * t));
            }
        }

        protected internal override Layer<double> CreateReplica() => new ProbeTanh(InputSize, usesInput, calls);
    }
}
