using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// L1 adds λ₁ sign(w) (sign(0) = 0) and L2 adds λ₂ w to the gradient of the weights, biases only when asked; the
/// penalty λ₁ Σ|w| + (λ₂/2) Σw² is part of the reported objective, and the data loss is reported without it.
/// Checked with plain SGD on one full batch against a gradient computed independently on a copy.
/// </summary>
public sealed class RegularizationTests
{
    [Theory]
    [InlineData(0.01, 0.0, false)]
    [InlineData(0.0, 0.05, false)]
    [InlineData(0.01, 0.05, false)]
    [InlineData(0.01, 0.05, true)]
    public void Penalty_gradients_and_reported_losses_match_the_formulas(double l1, double l2, bool regularizeBiases)
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(16, 5, 3, seed: 6);
        Network<double> network = SyntheticData.Mlp<double>(5, 7, 3, seed: 7);

        // Non-zero biases (they start at zero) and weights at exactly zero, where the L1 subgradient must be 0.
        foreach (ParameterRange range in network.ParameterRanges)
        {
            Span<double> values = network.Parameters.Slice(range.Offset, range.Length);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = range.IsWeight && i % 5 == 2 ? 0 : range.IsWeight ? values[i] : 0.1 * (i - 1);
            }
        }

        const double Rate = 0.1;
        var loss = new SoftmaxCrossEntropy<double>();
        Network<double> copy = network.Clone();
        double dataLoss = copy.AccumulateGradients(data.Inputs, data.Targets, loss);
        double[] expected = new double[network.ParameterCount];
        double penalty = 0, squaredNorm = 0;
        foreach (ParameterRange range in network.ParameterRanges)
        {
            bool regularized = range.IsWeight || regularizeBiases;
            for (int i = range.Offset; i < range.Offset + range.Length; i++)
            {
                double w = copy.Parameters[i];
                double g = copy.Gradients[i] + (regularized ? (l1 * Math.Sign(w)) + (l2 * w) : 0);
                penalty += regularized ? (l1 * Math.Abs(w)) + (0.5 * l2 * w * w) : 0;
                squaredNorm += g * g;
                expected[i] = w - (Rate * g);
            }
        }

        var trainer = new Trainer<double>(network, loss, new Sgd<double>(Rate), new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 16,
            Shuffle = false,
            Shards = 1,
            L1 = l1,
            L2 = l2,
            RegularizeBiases = regularizeBiases,
        });
        trainer.Fit(data.Inputs, data.Targets);

        EpochMetrics metrics = Assert.Single(trainer.History);
        AssertClose(dataLoss + penalty, metrics.Loss, "objective");
        AssertClose(dataLoss, metrics.DataLoss, "data loss");
        AssertClose(Math.Sqrt(squaredNorm), metrics.GradientNorm, "gradient norm");
        for (int i = 0; i < expected.Length; i++)
        {
            AssertClose(expected[i], network.Parameters[i], $"parameter {i}");
        }
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{what}: {actual:R}, expected {expected:R}");
}
