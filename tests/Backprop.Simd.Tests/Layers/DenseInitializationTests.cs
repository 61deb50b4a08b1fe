using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Layers;

public class DenseInitializationTests
{
    [Fact]
    public void Fan_in_uniform_draws_weights_and_biases_within_one_over_sqrt_fan_in_as_pytorch_does()
    {
        var dense = new Dense<float>(784, 256, WeightInitialization.FanInUniform, new SeededRandom(3));
        double limit = 1 / Math.Sqrt(784);
        float[] weights = dense.Weights.Value.AsSpan().ToArray();
        float[] bias = dense.Bias.Value.AsSpan().ToArray();

        AssertUniform(weights, limit);
        AssertUniform(bias, limit);
    }

    [Theory]
    [InlineData(WeightInitialization.GlorotUniform)]
    [InlineData(WeightInitialization.HeNormal)]
    public void Glorot_and_he_start_with_zero_biases(WeightInitialization initialization)
    {
        var dense = new Dense<double>(20, 30, initialization, new SeededRandom(4));
        Assert.All(dense.Bias.Value.AsSpan().ToArray(), b => Assert.Equal(0.0, b));
        Assert.Contains(dense.Weights.Value.AsSpan().ToArray(), w => w != 0);
    }

    [Fact]
    public void Unit_uniform_draws_weights_and_biases_within_one_as_the_notebook_does()
    {
        var dense = new Dense<double>(50, 200, WeightInitialization.UniformUnit, new SeededRandom(5));
        AssertUniform(dense.Weights.Value.AsSpan().ToArray().Select(x => (float)x).ToArray(), 1);
        AssertUniform(dense.Bias.Value.AsSpan().ToArray().Select(x => (float)x).ToArray(), 1);
    }

    private static void AssertUniform(float[] values, double limit)
    {
        Assert.All(values, x => Assert.True(Math.Abs(x) <= (float)limit, $"{x} is outside ±{limit}."));
        Assert.True(values.Max() > 0.95 * limit && values.Min() < -0.95 * limit, $"The values should come near ±{limit}.");

        // Uniform on ±limit: mean 0, variance limit² / 3.
        int n = values.Length;
        double mean = values.Average(x => (double)x);
        double deviation = Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        double expected = limit / Math.Sqrt(3);
        Assert.True(Math.Abs(mean) < 5 * expected / Math.Sqrt(n), $"Mean {mean}, expected 0.");
        Assert.True(Math.Abs(deviation - expected) < 5 * expected / Math.Sqrt(n), $"Standard deviation {deviation}, expected {expected}.");
    }
}
