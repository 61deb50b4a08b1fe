using Backprop.Simd.Diagnostics;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Simd.Tests.Diagnostics;

/// <summary>
/// <see cref="Sharpness.Estimate"/> against exact Hessians of tiny networks (a linear layer under squared error in
/// closed form, a sigmoid network's from second differences of its loss values), whose eigenvalues a plain Jacobi
/// routine computes; the weights restored bit for bit however the call ends; warm starts; bad input.
/// </summary>
public sealed class SharpnessTests
{
    // Above the finite differences' noise (about 1e-11 of the eigenvalue in double), which a smaller tolerance may never get under.
    private static readonly SharpnessOptions s_precise = new() { Tolerance = 1e-10, MaxIterations = 2000 };

    [Theory]
    [InlineData(Reduction.Mean, false)]
    [InlineData(Reduction.Sum, false)]
    [InlineData(Reduction.Mean, true)]
    [InlineData(Reduction.Sum, true)]
    public void A_linear_layer_under_squared_error_has_the_closed_form_top_eigenvalue(Reduction reduction, bool regularizeBiases)
    {
        (Network<double> network, Matrix<double> x, Matrix<double> t) = LinearCase();
        var options = new TrainingOptions { Reduction = reduction, L2 = LinearL2, RegularizeBiases = regularizeBiases };
        double expected = JacobiEigen.Dominant(LinearHessian(network, x, reduction, regularizeBiases)).Value;

        // The fixture can tell the bias rule apart: the other rule's eigenvalue differs by far more than the tolerance.
        double otherRule = JacobiEigen.Dominant(LinearHessian(network, x, reduction, !regularizeBiases)).Value;
        Assert.True(Math.Abs(otherRule - expected) > 1e-3 * expected, $"{expected} against {otherRule}");

        SharpnessEstimate estimate = Sharpness.Estimate<double>(network, new MeanSquaredError<double>(), x, t, options, s_precise);
        Assert.True(estimate.Converged, $"{estimate.Iterations} iterations");
        Assert.True(Math.Abs(estimate.Eigenvalue - expected) <= 1e-7 * expected, $"estimated {estimate.Eigenvalue:R}, exact {expected:R}");
        Assert.Equal(1.0, Math.Sqrt(estimate.Eigenvector.Sum(e => e * e)), 12);
    }

    /// <summary>Over random linear layers (1-5 inputs, 1-3 outputs, 1-8 rows), penalties and reductions; seeded, so that every run checks the same cases.</summary>
    [Property(MaxTest = 200, Replay = "(20261207,11)")]
    public Property Linear_layers_have_their_closed_form_top_eigenvalue() => Prop.ForAll(
        (from inputs in Gen.Choose(1, 5)
         from outputs in Gen.Choose(1, 3)
         from rows in Gen.Choose(1, 8)
         from l2 in Gen.Elements(0.0, 0.3, 2.0)
         from reduction in Gen.Elements(Reduction.Mean, Reduction.Sum)
         from regularizeBiases in Gen.Elements(false, true)
         from seed in Gen.Choose(0, int.MaxValue)
         select (inputs, outputs, rows, l2, reduction, regularizeBiases, seed: (ulong)seed)).ToArbitrary(),
        c =>
        {
            (Network<double> network, Matrix<double> x, Matrix<double> t) = LinearCase(c.inputs, c.outputs, c.rows, c.seed);
            double expected = JacobiEigen.Dominant(LinearHessian(network, x, c.reduction, c.regularizeBiases, c.l2)).Value;
            var options = new TrainingOptions { Reduction = c.reduction, L2 = c.l2, RegularizeBiases = c.regularizeBiases };
            SharpnessEstimate estimate = Sharpness.Estimate<double>(network, new MeanSquaredError<double>(), x, t, options, s_precise);
            return (estimate.Converged && Math.Abs(estimate.Eigenvalue - expected) <= 1e-6 * expected)
                .Label($"{c}: estimated {estimate.Eigenvalue:R} in {estimate.Iterations} iterations, exact {expected:R}");
        });

    [Theory]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.Mean)]
    public void A_sigmoid_network_matches_the_hessian_of_its_loss_values(Reduction reduction)
    {
        (Network<double> network, Loss<double> loss, Matrix<double> x, Matrix<double> t) = SigmoidCase();
        var options = new TrainingOptions { Reduction = reduction, L2 = 0.05, MaxDegreeOfParallelism = 1 };
        double[,] hessian = HessianOfValues(network, loss, x, t, options);
        (double expected, double[] vector, double next) = JacobiEigen.Dominant(hessian);
        Assert.True(next < 0.8 * Math.Abs(expected), $"the fixture needs a gap for power iteration: {expected} and {next}");

        SharpnessEstimate estimate = Sharpness.Estimate<double>(network, loss, x, t, options, s_precise);
        Assert.True(estimate.Converged, $"{estimate.Iterations} iterations");
        Assert.True(Math.Abs(estimate.Eigenvalue - expected) <= 1e-6 * Math.Abs(expected), $"estimated {estimate.Eigenvalue:R}, from loss values {expected:R}");
        double cosine = Math.Abs(estimate.Eigenvector.Zip(vector, (a, b) => a * b).Sum());
        Assert.True(cosine > 0.9999, $"|cos| between the eigenvectors is {cosine}");
    }

    [Fact]
    public void The_estimate_is_bitwise_the_same_on_one_and_two_threads()
    {
        (Network<double> network, Loss<double> loss, Matrix<double> x, Matrix<double> t) = SigmoidCase();
        SharpnessEstimate Run(int threads) => Sharpness.Estimate<double>(network, loss, x, t, new TrainingOptions { L2 = 0.05, MaxDegreeOfParallelism = threads });
        SharpnessEstimate one = Run(1);
        SharpnessEstimate two = Run(2);
        Assert.Equal(one.Eigenvalue, two.Eigenvalue);
        Assert.Equal(one.Iterations, two.Iterations);
        Assert.Equal(one.Eigenvector, two.Eigenvector);
    }

    [Fact]
    public void The_weights_are_restored_bit_for_bit_when_it_returns_throws_or_is_cancelled()
    {
        (Network<double> network, Matrix<double> x, Matrix<double> t) = LinearCase();
        double[] before = network.Parameters.ToArray();
        var options = new SharpnessOptions { Tolerance = 1e-15, MaxIterations = 10 };

        Sharpness.Estimate<double>(network, new MeanSquaredError<double>(), x, t, sharpnessOptions: options);
        FloatAssert.SameBits<double>(network.Parameters, before, "after a normal return");

        // The third loss evaluation is the second iteration's first gradient, at w + εv: the weights are perturbed then.
        var failing = new CountingLoss(3, () => throw new InvalidOperationException("the loss failed"));
        Assert.Throws<InvalidOperationException>(() => Sharpness.Estimate<double>(network, failing, x, t, sharpnessOptions: options));
        Assert.Equal(3, failing.Calls);
        FloatAssert.SameBits<double>(network.Parameters, before, "after an exception");

        using var cancel = new CancellationTokenSource();
        var cancelling = new CountingLoss(3, cancel.Cancel);
        Assert.ThrowsAny<OperationCanceledException>(() => Sharpness.Estimate<double>(network, cancelling, x, t, sharpnessOptions: options, cancellationToken: cancel.Token));
        Assert.Equal(4, cancelling.Calls);
        FloatAssert.SameBits<double>(network.Parameters, before, "after cancellation");
    }

    [Fact]
    public void From_a_progress_callback_it_leaves_training_unchanged()
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(24, 4, 3, seed: 61);
        double[] Train(bool estimate)
        {
            Network<double> network = Network<double>.Create(4, seed: 62).Dense(5, Activation.Sigmoid).Dropout(0.2).Dense(3, Activation.Softmax).Build();
            var loss = new SoftmaxCrossEntropy<double>();
            var options = new TrainingOptions { Epochs = 3, BatchSize = 8, L2 = 0.01 };
            var trainer = new Trainer<double>(network, loss, new Sgd<double>(0.5), options);
            var estimates = new List<SharpnessEstimate>();
            trainer.Fit(data.Inputs, data.Targets, new RecordingProgress<EpochMetrics>(_ =>
            {
                if (estimate)
                {
                    estimates.Add(Sharpness.Estimate<double>(network, loss, data.Inputs, data.Targets, options));
                }
            }));
            Assert.Equal(estimate ? 3 : 0, estimates.Count);
            Assert.All(estimates, e => Assert.True(double.IsFinite(e.Eigenvalue) && e.Eigenvalue != 0, $"{e}"));
            return network.Parameters.ToArray();
        }

        FloatAssert.SameBits<double>(Train(estimate: true), Train(estimate: false), "weights with and without estimates between epochs");
    }

    [Fact]
    public void A_warm_start_converges_in_fewer_iterations_than_a_cold_one()
    {
        (Network<double> network, Loss<double> loss, Matrix<double> x, Matrix<double> t) = SigmoidCase();
        var options = new TrainingOptions { L2 = 0.05 };
        var cold = new SharpnessOptions { Tolerance = 1e-8, MaxIterations = 500 };
        SharpnessEstimate before = Sharpness.Estimate<double>(network, loss, x, t, options, cold);
        SharpnessOptions warm = cold.Clone();
        warm.StartVector = before.Eigenvector;

        // At the same weights the previous eigenvector is already converged: one product to measure, one to confirm.
        SharpnessEstimate again = Sharpness.Estimate<double>(network, loss, x, t, options, warm);
        Assert.True(again.Converged && again.Iterations == 2, $"{again}");
        Assert.True(Math.Abs(again.Eigenvalue - before.Eigenvalue) <= 1e-8 * before.Eigenvalue, $"{again.Eigenvalue:R} against {before.Eigenvalue:R}");

        // A small step along the run moves the top eigenvector a little.
        new Trainer<double>(network, loss, new Sgd<double>(0.01), options).TrainStep(x, t);
        SharpnessEstimate coldAfter = Sharpness.Estimate<double>(network, loss, x, t, options, cold);
        SharpnessEstimate warmAfter = Sharpness.Estimate<double>(network, loss, x, t, options, warm);

        Assert.True(coldAfter.Converged && warmAfter.Converged, $"cold {coldAfter}, warm {warmAfter}");
        Assert.NotEqual(before.Eigenvalue, coldAfter.Eigenvalue);
        Assert.True(warmAfter.Iterations < coldAfter.Iterations, $"warm {warmAfter.Iterations} iterations, cold {coldAfter.Iterations}");
        Assert.True(Math.Abs(warmAfter.Eigenvalue - coldAfter.Eigenvalue) <= 1e-6 * Math.Abs(coldAfter.Eigenvalue), $"warm {warmAfter.Eigenvalue:R}, cold {coldAfter.Eigenvalue:R}");
    }

    [Fact]
    public void A_float_network_gets_a_coarse_but_right_estimate()
    {
        (Network<double> network, Matrix<double> x, Matrix<double> t) = LinearCase();
        double expected = JacobiEigen.Dominant(LinearHessian(network, x, Reduction.Mean, false)).Value;
        Network<float> single = Network<float>.Create(3).Dense(2).Build();
        for (int i = 0; i < single.ParameterCount; i++)
        {
            single.Parameters[i] = (float)network.Parameters[i];
        }

        SharpnessEstimate estimate = Sharpness.Estimate<float>(single, new MeanSquaredError<float>(), ToFloat(x), ToFloat(t), new TrainingOptions { L2 = LinearL2 });
        Assert.True(Math.Abs(estimate.Eigenvalue - expected) <= 1e-2 * expected, $"float {estimate.Eigenvalue:R}, exact {expected:R}");
    }

    [Fact]
    public void Bad_arguments_are_refused_naming_them()
    {
        (Network<double> network, Matrix<double> x, Matrix<double> t) = LinearCase();
        var loss = new MeanSquaredError<double>();
        double[] before = network.Parameters.ToArray();
        void Refused(string name, Action call) => Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(call).ParamName);

        Refused("inputs", () => Sharpness.Estimate<double>(network, loss, new Matrix<double>(0, 3), new Matrix<double>(0, 2)));
        Refused("inputs", () => Sharpness.Estimate<double>(network, loss, new Matrix<double>(7, 4), t));
        Refused("targets", () => Sharpness.Estimate<double>(network, loss, x, new Matrix<double>(7, 3)));
        Refused("targets", () => Sharpness.Estimate<double>(network, loss, x, new Matrix<double>(6, 2)));
        Refused("network", () => Sharpness.Estimate<double>(null!, loss, x, t));
        Refused("loss", () => Sharpness.Estimate<double>(network, null!, x, t));
        Refused("L2", () => Sharpness.Estimate<double>(network, loss, x, t, new TrainingOptions { L2 = -1 }));
        Refused("MaxIterations", () => Sharpness.Estimate<double>(network, loss, x, t, sharpnessOptions: new SharpnessOptions { MaxIterations = 0 }));
        Refused("Tolerance", () => Sharpness.Estimate<double>(network, loss, x, t, sharpnessOptions: new SharpnessOptions { Tolerance = 0 }));
        Refused("Tolerance", () => Sharpness.Estimate<double>(network, loss, x, t, sharpnessOptions: new SharpnessOptions { Tolerance = double.NaN }));
        Refused("Step", () => Sharpness.Estimate<double>(network, loss, x, t, sharpnessOptions: new SharpnessOptions { Step = -1e-6 }));
        Refused("Step", () => Sharpness.Estimate<double>(network, loss, x, t, sharpnessOptions: new SharpnessOptions { Step = double.PositiveInfinity }));
        Refused("StartVector", () => Sharpness.Estimate<double>(network, loss, x, t, sharpnessOptions: new SharpnessOptions { StartVector = new double[network.ParameterCount] }));
        Refused("StartVector", () => Sharpness.Estimate<double>(network, loss, x, t, sharpnessOptions: new SharpnessOptions { StartVector = [.. Enumerable.Repeat(double.NaN, network.ParameterCount)] }));
        ArgumentException length = Assert.ThrowsAny<ArgumentException>(() => Sharpness.Estimate<double>(network, loss, x, t, sharpnessOptions: new SharpnessOptions { StartVector = [1, 2, 3] }));
        Assert.Equal("sharpnessOptions", length.ParamName);
        Assert.Contains("3 values", length.Message);

        // Non-finite data give non-finite gradients: a clear error, never a NaN estimate, and the weights come back.
        Matrix<double> poisoned = x.Clone();
        poisoned[2, 1] = double.NaN;
        ArgumentException nan = Assert.ThrowsAny<ArgumentException>(() => Sharpness.Estimate<double>(network, loss, poisoned, t));
        Assert.Contains("NaN", nan.Message);
        FloatAssert.SameBits<double>(network.Parameters, before, "after a non-finite gradient");

        network.Parameters[1] = double.PositiveInfinity;
        Refused("network", () => Sharpness.Estimate<double>(network, loss, x, t));
    }

    private const double LinearL2 = 0.8;

    /// <summary>A linear layer (3 → 2 on 7 rows unless asked otherwise) whose inputs share a mean, which separates the top eigenvalue from the rest.</summary>
    private static (Network<double> Network, Matrix<double> Inputs, Matrix<double> Targets) LinearCase(int inputs = 3, int outputs = 2, int rows = 7, ulong seed = 5)
    {
        var random = new SeededRandom(seed);
        var x = new Matrix<double>(rows, inputs);
        x.InitializeUniform(random, 0.2, 1.5);
        var t = new Matrix<double>(rows, outputs);
        t.InitializeUniform(random, -1.0, 1.0);
        Network<double> network = Network<double>.Create(inputs, seed: seed + 1).Dense(outputs).Build();
        random.FillUniform(network.Parameters, -0.5, 0.5);
        return (network, x, t);
    }

    /// <summary>
    /// The Hessian of s Σ_rows ½‖x W + b − t‖² + (λ/2) Σ w² over the weights W [in x out] (row-major) and the bias b [out]:
    /// s Σ_rows x̃_i x̃_k δ_jl for W_ij (or b_j, with x̃ = [x, 1]) against W_kl, plus λ on the regularised diagonal.
    /// </summary>
    private static double[,] LinearHessian(Network<double> network, Matrix<double> x, Reduction reduction, bool regularizeBiases, double l2 = LinearL2)
    {
        int inputs = x.Columns, outputs = network.OutputSize;
        ParameterRange weights = network.ParameterRanges[0], bias = network.ParameterRanges[1];
        Assert.Equal((0, inputs, outputs, true), (weights.Offset, weights.Rows, weights.Columns, weights.IsWeight));
        Assert.Equal((inputs * outputs, false), (bias.Offset, bias.IsWeight));
        int Index(int i, int j) => i < inputs ? (i * outputs) + j : (inputs * outputs) + j;
        double Feature(int row, int i) => i < inputs ? x[row, i] : 1;

        double scale = reduction == Reduction.Mean ? 1.0 / x.Rows : 1;
        int n = (inputs + 1) * outputs;
        var h = new double[n, n];
        for (int i = 0; i <= inputs; i++)
        {
            for (int k = 0; k <= inputs; k++)
            {
                double sum = 0;
                for (int row = 0; row < x.Rows; row++)
                {
                    sum += Feature(row, i) * Feature(row, k);
                }

                for (int j = 0; j < outputs; j++)
                {
                    h[Index(i, j), Index(k, j)] = scale * sum;
                }
            }
        }

        for (int p = 0; p < n; p++)
        {
            h[p, p] += p < inputs * outputs || regularizeBiases ? l2 : 0;
        }

        return h;
    }

    /// <summary>A 2 → 3 sigmoid → 2 softmax network with cross-entropy on 6 rows, away from the origin.</summary>
    private static (Network<double> Network, Loss<double> Loss, Matrix<double> Inputs, Matrix<double> Targets) SigmoidCase()
    {
        var random = new SeededRandom(9);
        Network<double> network = Network<double>.Create(2, seed: 8).Dense(3, Activation.Sigmoid).Dense(2, Activation.Softmax).Build();
        random.FillUniform(network.Parameters, -2.0, 2.0);
        var x = new Matrix<double>(6, 2);
        x.InitializeUniform(random, -2.0, 2.0);
        var t = new Matrix<double>(6, 2);
        for (int row = 0; row < 6; row++)
        {
            t[row, row % 2] = 1;
        }

        return (network, new SoftmaxCrossEntropy<double>(), x, t);
    }

    /// <summary>
    /// The Hessian of the objective from its values alone: second differences
    /// [f(w + h eᵢ + h eⱼ) − f(w + h eᵢ − h eⱼ) − f(w − h eᵢ + h eⱼ) + f(w − h eᵢ − h eⱼ)] / 4h², symmetric by construction.
    /// </summary>
    private static double[,] HessianOfValues(Network<double> network, Loss<double> loss, Matrix<double> x, Matrix<double> t, TrainingOptions options)
    {
        const double H = 1e-4;
        int n = network.ParameterCount;
        double[] origin = network.Parameters.ToArray();
        double[] scratch = new double[n];
        double F(int i, double di, int j, double dj)
        {
            origin.CopyTo(network.Parameters);
            network.Parameters[i] += di;
            network.Parameters[j] += dj;
            return network.ComputeGradient(loss, x, t, scratch, options).Objective;
        }

        var hessian = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double value = (F(i, H, j, H) - F(i, H, j, -H) - F(i, -H, j, H) + F(i, -H, j, -H)) / (4 * H * H);
                (hessian[i, j], hessian[j, i]) = (value, value);
            }
        }

        origin.CopyTo(network.Parameters);
        return hessian;
    }

    private static Matrix<float> ToFloat(Matrix<double> m) => new(m.Rows, m.Columns, [.. m.AsSpan().ToArray().Select(v => (float)v)]);

    /// <summary>Squared error that runs an action at its n-th evaluation (and counts them).</summary>
    private sealed class CountingLoss(int at, Action action) : Loss<double>
    {
        private readonly MeanSquaredError<double> _inner = new();

        public int Calls { get; private set; }

        public override string Name => _inner.Name;

        public override double Compute(ReadOnlyMatrixSpan<double> output, ReadOnlyMatrixSpan<double> target, MatrixSpan<double> gradient, double gradientScale)
        {
            if (++Calls == at)
            {
                action();
            }

            return _inner.Compute(output, target, gradient, gradientScale);
        }

        public override double Evaluate(ReadOnlyMatrixSpan<double> output, ReadOnlyMatrixSpan<double> target) => _inner.Evaluate(output, target);
    }
}
