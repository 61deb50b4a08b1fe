using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// The public gradients: dL/dX and the regularised parameter gradient with the loss and the penalty, against finite
/// differences in double, bitwise the trainer's own for its first step, leaving a trainer's state alone, consistent
/// enough for Hessian-vector products by finite differences (the Hessian they give is symmetric).
/// </summary>
public sealed class NetworkGradientsTests
{
    private static readonly LabelledData<double> s_data = SyntheticData.Blobs<double>(9, 5, 3, seed: 12);

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    public void The_input_gradient_matches_finite_differences(Reduction reduction)
    {
        Network<double> network = Network<double>.Create(5, seed: 3).Dense(7, Activation.Tanh).Dense(3, Activation.Softmax).Build();
        var loss = new SoftmaxCrossEntropy<double>();
        Matrix<double> inputs = s_data.Inputs.Clone();
        var analytic = new Matrix<double>(inputs.Rows, inputs.Columns);
        double center = network.ComputeInputGradient(loss, inputs, s_data.Targets, analytic, reduction);
        Assert.Equal(center, network.ComputeInputGradient(loss, inputs, s_data.Targets, new Matrix<double>(inputs.Rows, inputs.Columns), reduction));

        var scratch = new Matrix<double>(inputs.Rows, inputs.Columns);
        double Loss() => network.ComputeInputGradient(loss, inputs, s_data.Targets, scratch, reduction);
        AssertMatchesFiniteDifferences(analytic.AsSpan(), inputs.Array, Loss, "dL/dX");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_regularised_gradient_matches_finite_differences_of_the_objective(bool regularizeBiases)
    {
        Network<double> network = Network<double>.Create(5, seed: 4).Dense(6, Activation.Sigmoid).Dense(3).Build();

        // Biases start at 0, where |b| has its kink: move every parameter away from it.
        new SeededRandom(10).FillUniform(network.Parameters, 0.05, 0.5);
        var loss = new SoftmaxCrossEntropy<double>();
        var options = new TrainingOptions { L1 = 0.03, L2 = 0.2, RegularizeBiases = regularizeBiases, Reduction = Reduction.Sum };
        double[] analytic = new double[network.ParameterCount];
        RegularizedLoss result = network.ComputeGradient(loss, s_data.Inputs, s_data.Targets, analytic, options);
        Assert.True(result.Penalty > 0);
        Assert.Equal(result.Loss + result.Penalty, result.Objective);

        double[] scratch = new double[network.ParameterCount];
        double Objective() => network.ComputeGradient(loss, s_data.Inputs, s_data.Targets, scratch, options).Objective;
        AssertMatchesFiniteDifferences(analytic, network.ParameterArray, Objective, $"dJ/dθ, biases {(regularizeBiases ? "" : "not ")}regularised");

        // The biases' gradients carry the terms exactly when asked: compare against the unregularised gradient.
        double[] plain = new double[network.ParameterCount];
        network.ComputeGradient(loss, s_data.Inputs, s_data.Targets, plain, new TrainingOptions { Reduction = Reduction.Sum });
        ParameterRange bias = network.ParameterRanges.First(r => !r.IsWeight);
        Assert.Equal(regularizeBiases, analytic[bias.Offset] != plain[bias.Offset]);
    }

    [Fact]
    public void With_dropout_one_key_gives_one_function()
    {
        Network<double> network = Network<double>.Create(5, seed: 5).Dense(8, Activation.Tanh).Dropout(0.5).Dense(3).Build();
        var loss = new SoftmaxCrossEntropy<double>();
        double[] first = new double[network.ParameterCount];
        double[] again = new double[network.ParameterCount];
        double[] other = new double[network.ParameterCount];
        network.ComputeGradient(loss, s_data.Inputs, s_data.Targets, first, randomKey: 7);
        network.ComputeGradient(loss, s_data.Inputs, s_data.Targets, again, randomKey: 7);
        network.ComputeGradient(loss, s_data.Inputs, s_data.Targets, other, randomKey: 8);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);

        double[] scratch = new double[network.ParameterCount];
        double Objective() => network.ComputeGradient(loss, s_data.Inputs, s_data.Targets, scratch, randomKey: 7).Objective;
        AssertMatchesFiniteDifferences(first, network.ParameterArray, Objective, "with dropout keyed 7");
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.01, 0.1)]
    public void It_is_the_gradient_the_trainer_steps_on(double l1, double l2)
    {
        // Plain SGD with rate 1 on one shard: the step subtracts exactly the trainer's gradient, and reports its objective.
        Network<double> network = SyntheticData.Mlp<double>(5, 6, 3, seed: 6);
        var options = new TrainingOptions { Shards = 1, L1 = l1, L2 = l2, MaxDegreeOfParallelism = 2 };
        double[] gradient = new double[network.ParameterCount];
        RegularizedLoss expected = network.ComputeGradient(new SoftmaxCrossEntropy<double>(), s_data.Inputs, s_data.Targets, gradient, options);
        double[] before = network.Parameters.ToArray();

        double objective = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(1), options).TrainStep(s_data.Inputs, s_data.Targets);
        Assert.Equal(expected.Objective, objective);
        FloatAssert.SameBits<double>(network.Parameters, before.Zip(gradient, (p, g) => p - g).ToArray(), "weights after one step of rate 1");
    }

    [Fact]
    public void It_leaves_the_network_gradients_and_a_trainer_alone()
    {
        double[] Train(bool interrupt)
        {
            Network<double> network = SyntheticData.Mlp<double>(5, 6, 3, seed: 7, dropout: 0.2);
            var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adam<double>(0.01), new TrainingOptions { Epochs = 2, BatchSize = 4, Shards = 2 });
            trainer.Fit(s_data.Inputs, s_data.Targets);
            if (interrupt)
            {
                double[] gradients = network.Gradients.ToArray();
                network.ComputeGradient(new SoftmaxCrossEntropy<double>(), s_data.Inputs, s_data.Targets, new double[network.ParameterCount], new TrainingOptions { L2 = 1 });
                network.ComputeInputGradient(new SoftmaxCrossEntropy<double>(), s_data.Inputs, s_data.Targets, new Matrix<double>(s_data.Inputs.Rows, 5));
                FloatAssert.SameBits<double>(network.Gradients, gradients, "the network's own gradients");
            }

            trainer.Fit(s_data.Inputs, s_data.Targets);
            return network.Parameters.ToArray();
        }

        FloatAssert.SameBits<double>(Train(interrupt: true), Train(interrupt: false), "weights with and without gradients computed between two fits");
    }

    [Fact]
    public void Hessian_vector_products_by_finite_differences_of_the_gradient_are_symmetric()
    {
        // u·(Hv) = v·(Hu) for the true Hessian; a gradient that were not one function's would break it.
        Network<double> network = Network<double>.Create(5, seed: 8).Dense(6, Activation.Tanh).Dense(3).Build();
        var loss = new SoftmaxCrossEntropy<double>();
        var options = new TrainingOptions { L2 = 0.05 };
        int n = network.ParameterCount;
        var random = new SeededRandom(9);
        double[] u = new double[n], v = new double[n], plus = new double[n], minus = new double[n];
        random.FillUniform<double>(u, -1, 1);
        random.FillUniform<double>(v, -1, 1);
        double[] theta = network.Parameters.ToArray();

        double[] HessianTimes(double[] direction)
        {
            const double H = 1e-5;
            for (int i = 0; i < n; i++)
            {
                network.Parameters[i] = theta[i] + (H * direction[i]);
            }

            network.ComputeGradient(loss, s_data.Inputs, s_data.Targets, plus, options);
            for (int i = 0; i < n; i++)
            {
                network.Parameters[i] = theta[i] - (H * direction[i]);
            }

            network.ComputeGradient(loss, s_data.Inputs, s_data.Targets, minus, options);
            theta.CopyTo(network.Parameters);
            return [.. plus.Zip(minus, (p, m) => (p - m) / (2 * H))];
        }

        double uHv = HessianTimes(v).Zip(u, (a, b) => a * b).Sum();
        double vHu = HessianTimes(u).Zip(v, (a, b) => a * b).Sum();
        Assert.True(Math.Abs(uHv - vHu) <= 1e-6 * Math.Max(1, Math.Abs(uHv)), $"u·Hv = {uHv}, v·Hu = {vHu}");
        Assert.True(Math.Abs(uHv) > 1e-3, "the test needs curvature along u and v");
    }

    [Fact]
    public void Bad_shapes_are_named()
    {
        Network<double> network = SyntheticData.Mlp<double>(5, 6, 3, seed: 9);
        var loss = new SoftmaxCrossEntropy<double>();
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => network.ComputeGradient(loss, s_data.Inputs, s_data.Targets, new double[3])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => network.ComputeGradient(loss, new Matrix<double>(0, 5), new Matrix<double>(0, 3), new double[network.ParameterCount])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => network.ComputeInputGradient(loss, s_data.Inputs, new Matrix<double>(9, 2), new Matrix<double>(9, 5))).ParamName);
        Assert.Equal("inputGradient", Assert.Throws<ArgumentException>(() => network.ComputeInputGradient(loss, s_data.Inputs, s_data.Targets, new Matrix<double>(9, 4))).ParamName);
    }

    /// <summary>Five-point central differences of <paramref name="f"/> along each element of <paramref name="values"/>, in double.</summary>
    private static void AssertMatchesFiniteDifferences(ReadOnlySpan<double> analytic, double[] values, Func<double> f, string what)
    {
        for (int i = 0; i < analytic.Length; i++)
        {
            double x = values[i];
            double h = 1e-4 * Math.Max(1, Math.Abs(x));
            values[i] = x + h;
            double plus1 = f();
            values[i] = x - h;
            double minus1 = f();
            values[i] = x + (2 * h);
            double plus2 = f();
            values[i] = x - (2 * h);
            double minus2 = f();
            values[i] = x;
            double numeric = ((8 * (plus1 - minus1)) - (plus2 - minus2)) / (12 * h);
            Assert.True(Math.Abs(analytic[i] - numeric) <= 1e-7 * Math.Max(1, Math.Abs(numeric)), $"{what}, element {i}: analytic {analytic[i]}, numeric {numeric}");
        }
    }
}
