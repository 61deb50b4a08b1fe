using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Optimizers;

/// <summary>
/// RMSProp with every combination of momentum, centered and weight decay: against a plain scalar loop of PyTorch's
/// formulas in float and double, bit for bit, and against numbers PyTorch computed; its update in ranges and in the
/// trainer's shards; its finite check and its hyperparameter checks.
/// </summary>
public sealed class RmsPropTests
{
    /// <summary>Vector bodies and a tail, in float and in double.</summary>
    private const int Count = 37;
    private const int Steps = 6;

    public static TheoryData<double, bool, double> Variants
    {
        get
        {
            var data = new TheoryData<double, bool, double>();
            foreach (double momentum in new[] { 0, 0.9 })
            {
                foreach (bool centered in new[] { false, true })
                {
                    foreach (double weightDecay in new[] { 0, 0.1 })
                    {
                        data.Add(momentum, centered, weightDecay);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_update_is_a_scalar_loop_of_the_formulas_bit_for_bit(double momentum, bool centered, double weightDecay)
    {
        MatchesScalarLoop<float>(momentum, centered, weightDecay);
        MatchesScalarLoop<double>(momentum, centered, weightDecay);
    }

    /// <summary>
    /// Parameters after 5 steps of <c>torch.optim.RMSprop(lr, alpha=0.9, eps=1e-6, momentum, centered, weight_decay)</c>
    /// with lr 0.01 (t + 1) at step t = 0..4, from p = (i − 3) · 0.375 with gradients ((7i + 3t) mod 11 − 5) / 4,
    /// i = 0..6, computed by PyTorch 1.13.1 on the CPU (its default single-tensor path) in float64 and float32, printed
    /// with Python's repr and numpy.float32's repr.
    /// </summary>
    public static TheoryData<double, bool, double, double[], float[]> PyTorch => new()
    {
        { 0, false, 0, [-1.0805495113994472, -0.8703017105627159, -0.34273432291426253, 0.04317600621487093, 0.3156553586658872, 0.8617257355345176, 1.0004293713869337], [-1.0805496f, -0.8703017f, -0.3427343f, 0.043176003f, 0.31565535f, 0.86172575f, 1.0004295f] },
        { 0, false, 0.1, [-1.0535261392431121, -0.8519015974558708, -0.3299947287062346, 0.04353832512786572, 0.30688660055729944, 0.8391035450900074, 0.9748259076186037], [-1.0535262f, -0.85190153f, -0.32999474f, 0.043538336f, 0.30688658f, 0.8391036f, 0.9748259f] },
        { 0, true, 0, [-1.0758972073120057, -0.8801852496732303, -0.3432758577342124, 0.03999473314798166, 0.3088824449012325, 0.86849331613462, 0.9951032147065737], [-1.0758971f, -0.88018525f, -0.34327585f, 0.03999473f, 0.30888245f, 0.8684933f, 0.99510324f] },
        { 0, true, 0.1, [-1.0469613820927466, -0.8603014218983522, -0.32981735875603385, 0.040421887417458516, 0.29998340294781783, 0.8430745404768526, 0.9666445769604707], [-1.0469613f, -0.8603014f, -0.32981735f, 0.040421896f, 0.29998344f, 0.8430745f, 0.9666446f] },
        { 0.9, false, 0, [-0.7735014785173927, -1.3602694585900226, -0.2725264037210144, -0.1971879395517346, -0.10938288981733124, 1.1246058934118557, 0.8836577007866039], [-0.7735016f, -1.3602693f, -0.2725264f, -0.19718793f, -0.1093828f, 1.1246059f, 0.88365763f] },
        { 0.9, false, 0.1, [-0.7061244569870831, -1.3119621813414588, -0.23213221994489924, -0.19295440093737076, -0.11768015773658014, 1.0444349500439822, 0.8058534753556627], [-0.7061246f, -1.3119621f, -0.23213221f, -0.19295439f, -0.11768014f, 1.044435f, 0.8058536f] },
        { 0.9, true, 0, [-0.7428205876008812, -1.4123484030224835, -0.26206986560076934, -0.21956812562629002, -0.15740984161692617, 1.1520104567188953, 0.8606497922351575], [-0.74282056f, -1.4123484f, -0.26206985f, -0.2195681f, -0.15740985f, 1.1520104f, 0.86064976f] },
        { 0.9, true, 0.1, [-0.672342984997536, -1.3616834696213904, -0.2203399136601405, -0.21480606374456968, -0.16553239646417167, 1.0650185132048742, 0.7798144341184993], [-0.67234296f, -1.3616834f, -0.2203399f, -0.21480602f, -0.16553241f, 1.0650185f, 0.7798145f] },
    };

    [Theory]
    [MemberData(nameof(PyTorch))]
    public void It_matches_pytorchs_rmsprop(double momentum, bool centered, double weightDecay, double[] expectedDouble, float[] expectedFloat)
    {
        MatchesPyTorch(momentum, centered, weightDecay, expectedDouble);
        MatchesPyTorch(momentum, centered, weightDecay, expectedFloat);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Ranges_updated_in_pieces_are_one_whole_step_bit_for_bit(double momentum, bool centered, double weightDecay)
    {
        InPieces<float>(momentum, centered, weightDecay);
        InPieces<double>(momentum, centered, weightDecay);
    }

    [Fact]
    public void It_trains_in_two_shards_the_same_on_one_and_two_threads_and_close_to_one_shard() =>
        OptimizerInTrainer.TwoShardsTrainTheSameOnOneAndTwoThreads(Full<double>);

    [Fact]
    public void Its_update_in_the_trainers_ranges_on_two_threads_is_one_whole_step() =>
        OptimizerInTrainer.RangesAreOneWholeStep(Full<double>);

    [Theory]
    [InlineData(0)]
    [InlineData(Count - 1)]
    public void An_update_that_overflows_is_caught_in_the_vector_body_and_in_the_tail(int index)
    {
        // With α = 0 the first step moves a weight by lr · g / (|g| + ε): from 3e38 by another 3e38 is beyond float.
        float[] parameters = new float[Count];
        float[] gradients = new float[Count];
        Array.Fill(gradients, 1f);
        parameters[index] = -3e38f;
        var e = Assert.Throws<ArithmeticException>(() => new RmsProp<float>(3e38, alpha: 0).Step(parameters, gradients, 3e38));
        Assert.Contains("infinite or NaN", e.Message, StringComparison.Ordinal);
        Assert.True(float.IsNegativeInfinity(parameters[index]));
        new RmsProp<float>(3e38, alpha: 0).Step(new float[Count], gradients, 3e38);
    }

    /// <summary>
    /// Under a constant gradient v and ḡ² converge on g², and rounding takes v − ḡ² below zero within a few dozen
    /// steps at α = 0.5: clamped at zero, the step stays finite where √(v − ḡ²) would be NaN.
    /// </summary>
    [Fact]
    public void A_constant_gradient_does_not_take_the_root_of_a_negative_variance()
    {
        Converges<float>();
        Converges<double>();

        static void Converges<T>()
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var optimizer = new RmsProp<T>(0.01, alpha: 0.5, centered: true);
            T[] parameters = new T[Count];
            T[] gradients = [.. Enumerable.Range(0, Count).Select(i => T.CreateTruncating(-2 + (i / 9.0)))];
            for (int step = 0; step < 100; step++)
            {
                optimizer.Step(parameters, gradients, 0.01);
            }

            Assert.All(parameters, p => Assert.True(T.IsFinite(p)));
        }
    }

    [Fact]
    public void The_defaults_are_pytorchs_and_the_description_names_the_variant()
    {
        var plain = new RmsProp<double>();
        Assert.Equal((0.01, 0.99, 1e-8, 0.0, false, 0.0), (plain.LearningRate, plain.Alpha, plain.Epsilon, plain.Momentum, plain.Centered, plain.WeightDecay));
        Assert.Equal(("rmsprop", 1), (plain.Name, plain.StatePerParameter));
        Assert.Equal("RMSProp(lr 0.01, α 0.99, ε 1E-08)", plain.Description);
        RmsProp<double> full = Full<double>();
        Assert.Equal(3, full.StatePerParameter);
        Assert.Equal("RMSProp(lr 0.01, α 0.95, ε 1E-07, momentum 0.9, centered, weight decay 0.001)", full.Description);
        Assert.Equal(
            [new("alpha", 0.95), new("epsilon", 1e-7), new("momentum", 0.9), new("centered", 1), new("weight_decay", 0.001)],
            full.Hyperparameters);
    }

    public static TheoryData<string, string> InvalidHyperparameters => new()
    {
        { "alpha", "1" },
        { "alpha", "-0.1" },
        { "alpha", "NaN" },
        { "epsilon", "0" },
        { "epsilon", "-1e-8" },
        { "epsilon", "Infinity" },
        { "epsilon", "1e-50 in float" },
        { "momentum", "1" },
        { "momentum", "-0.5" },
        { "weightDecay", "-0.01" },
        { "weightDecay", "NaN" },
        { "weightDecay", "1e300 in float" },
        { "learningRate", "0" },
    };

    [Theory]
    [MemberData(nameof(InvalidHyperparameters))]
    public void A_hyperparameter_out_of_range_is_refused_by_name(string name, string value)
    {
        double number = double.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Action create = (name, value.EndsWith("in float", StringComparison.Ordinal)) switch
        {
            ("alpha", _) => () => _ = new RmsProp<double>(alpha: number),
            ("epsilon", false) => () => _ = new RmsProp<double>(epsilon: number),
            ("epsilon", true) => () => _ = new RmsProp<float>(epsilon: number),
            ("momentum", _) => () => _ = new RmsProp<double>(momentum: number),
            ("weightDecay", false) => () => _ = new RmsProp<double>(weightDecay: number),
            ("weightDecay", true) => () => _ = new RmsProp<float>(weightDecay: number),
            _ => () => _ = new RmsProp<double>(learningRate: number),
        };

        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(name == "learningRate" ? "value" : name, e.ParamName);
        if (value.EndsWith("in float", StringComparison.Ordinal))
        {
            Assert.Contains("as a Single", e.Message, StringComparison.Ordinal);
            _ = name == "epsilon" ? new RmsProp<double>(epsilon: number) : new RmsProp<double>(weightDecay: number);
        }
    }

    [Fact]
    public void The_registered_factory_rebuilds_it_from_its_hyperparameters_and_refuses_bad_ones()
    {
        Assert.True(OptimizerRegistry.TryGetFactory("rmsprop", out IOptimizerFactory? factory));
        RmsProp<double> full = Full<double>();
        Dictionary<string, double> values = full.Hyperparameters.ToDictionary();
        var rebuilt = Assert.IsType<RmsProp<float>>(factory.Create<float>(0.01, values));
        Assert.Equal((full.Alpha, full.Epsilon, full.Momentum, full.Centered, full.WeightDecay), (rebuilt.Alpha, rebuilt.Epsilon, rebuilt.Momentum, rebuilt.Centered, rebuilt.WeightDecay));

        Assert.Contains("centered flag must be 0 or 1", Assert.Throws<ArgumentOutOfRangeException>(() => factory.Create<float>(0.01, new Dictionary<string, double>(values) { ["centered"] = 0.5 })).Message, StringComparison.Ordinal);
        values.Remove("momentum");
        Assert.Contains("needs the hyperparameter 'momentum'", Assert.Throws<ArgumentException>(() => factory.Create<float>(0.01, values)).Message, StringComparison.Ordinal);
    }

    /// <summary>Every flag on, α and ε off their defaults.</summary>
    private static RmsProp<T> Full<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new(0.01, alpha: 0.95, epsilon: 1e-7, momentum: 0.9, centered: true, weightDecay: 1e-3);

    private static void MatchesScalarLoop<T>(double momentum, bool centered, double weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var optimizer = new RmsProp<T>(0.1, alpha: 0.95, epsilon: 1e-7, momentum, centered, weightDecay);
        var random = new SeededRandom(17);
        T[] parameters = new T[Count];
        random.FillUniform<T>(parameters, -T.One, T.One);
        T[] expected = [.. parameters];
        var state = new ScalarState<T>(Count);
        for (int t = 1; t <= Steps; t++)
        {
            T[] gradients = new T[Count];
            random.FillUniform<T>(gradients, T.CreateTruncating(-2), T.CreateTruncating(2));
            gradients[3] = T.Zero;
            double learningRate = 0.05 * t;
            optimizer.Step(parameters, gradients, learningRate);
            ScalarStep(expected, gradients, state, learningRate, 0.95, 1e-7, momentum, centered, weightDecay);
            FloatAssert.SameBits<T>(parameters, expected, $"{optimizer.Description} in {typeof(T).Name}, step {t}");
        }

        FloatAssert.SameBits<T>(optimizer.State, state.Blocks(momentum, centered), $"{optimizer.Description} in {typeof(T).Name}, state");
        Assert.Equal(Steps, optimizer.StepCount);
    }

    /// <summary>
    /// torch.optim.RMSprop's step written as a plain loop, in its order of operations: g += wd p; v = α v + (1 − α) g g;
    /// centered ḡ = α ḡ + (1 − α) g, d = √max(v − ḡ ḡ, 0) + ε, else d = √v + ε; b = μ b + g / d, p −= lr b, or
    /// p −= lr g / d.
    /// </summary>
    private static void ScalarStep<T>(T[] p, T[] gradients, ScalarState<T> state, double learningRate, double alpha, double epsilon, double momentum, bool centered, double weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lr = T.CreateTruncating(learningRate);
        T a = T.CreateTruncating(alpha);
        T c = T.CreateTruncating(1 - alpha);
        T eps = T.CreateTruncating(epsilon);
        T mu = T.CreateTruncating(momentum);
        T wd = T.CreateTruncating(weightDecay);
        for (int i = 0; i < p.Length; i++)
        {
            T g = gradients[i];
            if (weightDecay > 0)
            {
                g += wd * p[i];
            }

            state.Square[i] = (a * state.Square[i]) + (c * g * g);
            T variance = state.Square[i];
            if (centered)
            {
                state.Average[i] = (a * state.Average[i]) + (c * g);
                variance = T.Max(variance - (state.Average[i] * state.Average[i]), T.Zero);
            }

            T d = T.Sqrt(variance) + eps;
            if (momentum > 0)
            {
                state.Buffer[i] = (mu * state.Buffer[i]) + (g / d);
                p[i] -= lr * state.Buffer[i];
            }
            else
            {
                p[i] -= lr * g / d;
            }
        }
    }

    private static void MatchesPyTorch<T>(double momentum, bool centered, double weightDecay, T[] expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var optimizer = new RmsProp<T>(0.01, alpha: 0.9, epsilon: 1e-6, momentum, centered, weightDecay);
        T[] parameters = [.. Enumerable.Range(0, expected.Length).Select(i => T.CreateTruncating((i - 3) * 0.375))];
        for (int t = 0; t < 5; t++)
        {
            T[] gradients = [.. Enumerable.Range(0, expected.Length).Select(i => T.CreateTruncating((((7 * i) + (3 * t)) % 11 - 5) / 4.0))];
            optimizer.Step(parameters, gradients, 0.01 * (t + 1));
        }

        // PyTorch adds −lr · b to p in one fused multiply-add (ATen's add with alpha), which rounds once where this
        // rounds twice: with momentum the results are up to 3 units in the last place apart, without they are the same bits.
        long allowed = momentum > 0 ? 4 : 0;
        for (int i = 0; i < expected.Length; i++)
        {
            long ulps = FloatAssert.UlpDistance(parameters[i], expected[i]);
            Assert.True(ulps <= allowed, $"{optimizer.Description} in {typeof(T).Name}: parameter {i} is {parameters[i]:R}, PyTorch's {expected[i]:R} ({ulps} ulps apart)");
        }
    }

    private static void InPieces<T>(double momentum, bool centered, double weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var whole = new RmsProp<T>(0.02, alpha: 0.9, epsilon: 1e-6, momentum, centered, weightDecay);
        var pieces = new RmsProp<T>(0.02, alpha: 0.9, epsilon: 1e-6, momentum, centered, weightDecay);
        var random = new SeededRandom(23);
        T[] once = new T[Count];
        random.FillUniform<T>(once, -T.One, T.One);
        T[] inPieces = [.. once];

        // Pieces of 3, 8, 1, 17 and 8 parameters: starts and ends off the vector boundaries, one piece all tail.
        int[] cuts = [0, 3, 11, 12, 29, Count];
        for (int step = 1; step <= 3; step++)
        {
            T[] gradients = new T[Count];
            random.FillUniform<T>(gradients, T.CreateTruncating(-2), T.CreateTruncating(2));
            whole.Step(once, gradients, 0.02 * step);
            pieces.BeginStep(Count);
            for (int k = 0; k + 1 < cuts.Length; k++)
            {
                Range piece = cuts[k]..cuts[k + 1];
                Assert.True(pieces.UpdateRange(inPieces.AsSpan(piece), gradients.AsSpan(piece), cuts[k], Count, 0.02 * step));
            }

            FloatAssert.SameBits<T>(inPieces, once, $"{whole.Description} in {typeof(T).Name}, step {step}");
            FloatAssert.SameBits(pieces.State, whole.State, $"{whole.Description} in {typeof(T).Name}, state after step {step}");
        }
    }

    /// <summary>The reference's state: the square average, the gradient average and the momentum buffer.</summary>
    private sealed class ScalarState<T>(int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T[] Square { get; } = new T[count];

        public T[] Average { get; } = new T[count];

        public T[] Buffer { get; } = new T[count];

        /// <summary>The blocks the optimizer keeps, in its order: v, then ḡ when centered, then b with momentum.</summary>
        public T[] Blocks(double momentum, bool centered) => [.. Square, .. centered ? Average : [], .. momentum > 0 ? Buffer : []];
    }
}
