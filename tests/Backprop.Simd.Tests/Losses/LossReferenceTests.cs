using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Losses;

/// <summary>
/// Each loss's value and gradient against a scalar reference written here (in double, from the textbook formula, not
/// the library's rearrangement), and the mean and sum reductions against each other.
/// </summary>
public sealed class LossReferenceTests
{
    private const int Rows = 5;
    private const int Columns = 7;
    private const double Scale = 0.3;

    /// <summary>ℓ = ½ Σ (y − t)², dℓ/dy = y − t.</summary>
    [Fact]
    public void Mean_squared_error_matches_half_the_squared_distance() =>
        Compare(new MeanSquaredError<double>(), Uniform(1, -2, 2), Uniform(2, -2, 2), (y, t) => 0.5 * (y - t) * (y - t), (y, t) => y - t);

    /// <summary>ℓ = −[t ln a + (1 − t) ln(1 − a)], dℓ/da = (a − t) / (a (1 − a)).</summary>
    [Fact]
    public void Binary_cross_entropy_matches_the_log_likelihood_of_probabilities() =>
        Compare(new BinaryCrossEntropy<double>(), Uniform(3, 0.05, 0.95), Uniform(4, 0, 1), (a, t) => -((t * Math.Log(a)) + ((1 - t) * Math.Log(1 - a))), (a, t) => (a - t) / (a * (1 - a)));

    /// <summary>On logits: ℓ = t ln(1 + e^−z) + (1 − t) ln(1 + e^z), dℓ/dz = 1 / (1 + e^−z) − t; logits up to ±40 included.</summary>
    [Fact]
    public void Sigmoid_cross_entropy_matches_the_log_likelihood_of_logits()
    {
        Matrix<double> logits = Uniform(5, -5, 5);
        logits[0, 0] = 40;
        logits[1, 1] = -40;
        logits[2, 2] = 0;
        Compare(new SigmoidCrossEntropy<double>(), logits, Uniform(6, 0, 1), (z, t) => (t * Math.Log(1 + Math.Exp(-z))) + ((1 - t) * Math.Log(1 + Math.Exp(z))), (z, t) => (1 / (1 + Math.Exp(-z))) - t);
    }

    /// <summary>ℓ = −Σ_j t_j ln(e^z_j / Σ_k e^z_k), dℓ/dz_j = (Σ_k t_k) softmax(z)_j − t_j; soft and one-hot targets, large logits.</summary>
    [Fact]
    public void Softmax_cross_entropy_matches_the_log_likelihood_of_softmax()
    {
        Matrix<double> logits = Uniform(7, -3, 3);
        logits[0, 3] = 300;
        Matrix<double> targets = Uniform(8, 0, 1);
        targets.Row(1).Clear();
        targets[1, 4] = 1;
        var loss = new SoftmaxCrossEntropy<double>();
        var gradient = new Matrix<double>(Rows, Columns);
        double sum = loss.Compute(logits, targets, gradient, Scale);
        double expectedSum = 0;
        for (int i = 0; i < Rows; i++)
        {
            double max = logits.Row(i).ToArray().Max();
            double denominator = logits.Row(i).ToArray().Sum(z => Math.Exp(z - max));
            double targetSum = targets.Row(i).ToArray().Sum();
            for (int j = 0; j < Columns; j++)
            {
                double p = Math.Exp(logits[i, j] - max) / denominator;
                expectedSum -= targets[i, j] * Math.Log(p);
                AssertClose(Scale * ((targetSum * p) - targets[i, j]), gradient[i, j], $"softmax cross-entropy gradient [{i}, {j}]");
            }
        }

        AssertClose(expectedSum, sum, "softmax cross-entropy");
        AssertClose(expectedSum, loss.Evaluate(logits, targets), "softmax cross-entropy, evaluated");
    }

    /// <summary>Beyond [0, 1] the clamped loss is flat but its gradient is not (−1e12 where the loss did not move), so such outputs are refused, as PyTorch's BCELoss refuses them.</summary>
    [Fact]
    public void Binary_cross_entropy_refuses_outputs_that_are_no_probabilities()
    {
        var loss = new BinaryCrossEntropy<double>();
        var targets = new Matrix<double>(new double[,] { { 1, 0 } });
        var gradient = new Matrix<double>(1, 2);
        foreach (double outside in new[] { -0.2, 1.5, double.NegativeInfinity })
        {
            var outputs = new Matrix<double>(new double[,] { { 0.5, outside } });
            var e = Assert.Throws<ArgumentException>(() => loss.Compute(outputs, targets, gradient, 1.0));
            Assert.Equal("output", e.ParamName);
            Assert.Contains($"output [0, 1] is {outside}", e.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => loss.Evaluate(outputs, targets));
        }

        // 0 and 1 themselves are probabilities: clamped inside the logarithm, finite.
        double edge = loss.Compute(new Matrix<double>(new double[,] { { 0, 1 } }), targets, gradient, 1.0);
        Assert.True(double.IsFinite(edge) && edge > 0);
    }

    [Fact]
    public void Losses_reject_mismatched_shapes_naming_both()
    {
        var output = new Matrix<float>(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => new MeanSquaredError<float>().Compute(output, new Matrix<float>(3, 3), new Matrix<float>(2, 3), 1f));
        Assert.Contains("[2 x 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[3 x 3]", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy<float>().Compute(output, new Matrix<float>(2, 3), new Matrix<float>(2, 2), 1f));
        Assert.Contains("[2 x 2]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[2 x 3]", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Through a network: the summed reduction reports n times the mean loss and accumulates n times the mean
    /// gradients (up to rounding: the mean scales each sample's gradient by 1/n before the sum).
    /// </summary>
    [Fact]
    public void Sum_reduction_is_n_times_the_mean()
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(9, 5, 3, seed: 1);
        Network<double> mean = SyntheticData.Mlp<double>(5, 6, 3, seed: 2);
        Network<double> sum = mean.Clone();
        var loss = new SoftmaxCrossEntropy<double>();
        double meanLoss = mean.AccumulateGradients(data.Inputs, data.Targets, loss, Reduction.Mean);
        double sumLoss = sum.AccumulateGradients(data.Inputs, data.Targets, loss, Reduction.Sum);
        AssertClose(9 * meanLoss, sumLoss, "loss");
        AssertClose(loss.Evaluate(mean.Forward(data.Inputs), data.Targets), sumLoss, "loss against Evaluate");
        for (int i = 0; i < mean.ParameterCount; i++)
        {
            AssertClose(9 * mean.Gradients[i], sum.Gradients[i], $"gradient {i}");
        }
    }

    private static void Compare(Loss<double> loss, Matrix<double> output, Matrix<double> target, Func<double, double, double> value, Func<double, double, double> derivative)
    {
        var gradient = new Matrix<double>(Rows, Columns);
        gradient.Fill(double.NaN);
        double sum = loss.Compute(output, target, gradient, Scale);
        double expectedSum = 0;
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Columns; j++)
            {
                expectedSum += value(output[i, j], target[i, j]);
                AssertClose(Scale * derivative(output[i, j], target[i, j]), gradient[i, j], $"{loss.Name} gradient [{i}, {j}] at ({output[i, j]}, {target[i, j]})");
            }
        }

        AssertClose(expectedSum, sum, loss.Name);
        AssertClose(expectedSum, loss.Evaluate(output, target), $"{loss.Name}, evaluated");
    }

    private static Matrix<double> Uniform(ulong seed, double low, double high)
    {
        var m = new Matrix<double>(Rows, Columns);
        m.InitializeUniform(new SeededRandom(seed), low, high);
        return m;
    }

    /// <summary>Relative 1e-12 (absolute near zero): the reference and the library round differently, nothing more.</summary>
    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{what}: {actual:R}, expected {expected:R}");
}
