using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;

namespace Backprop.Simd.Tests.Optimizers;

/// <summary>
/// Each optimizer against a plain scalar loop written here from the PyTorch formulas, in double, over several steps
/// with random parameters and gradients and a learning rate that changes between steps. 37 parameters: vector bodies
/// and a scalar tail.
/// </summary>
public sealed class OptimizerReferenceTests
{
    private const int Count = 37;
    private const int Steps = 6;

    [Fact]
    public void Sgd_matches_p_minus_lr_g() =>
        Compare(new Sgd<double>(0.1), [], (p, g, state, lr, t) => p[0] -= lr * g, exact: true);

    [Fact]
    public void Momentum_matches_v_is_mu_v_plus_g_and_p_minus_lr_v() =>
        Compare(new Sgd<double>(0.1, momentum: 0.9), new double[Count], (p, g, v, lr, t) =>
        {
            v[0] = (0.9 * v[0]) + g;
            p[0] -= lr * v[0];
        }, exact: true);

    [Fact]
    public void Nesterov_matches_p_minus_lr_g_plus_mu_v() =>
        Compare(new Sgd<double>(0.1, momentum: 0.8, nesterov: true), new double[Count], (p, g, v, lr, t) =>
        {
            v[0] = (0.8 * v[0]) + g;
            p[0] -= lr * (g + (0.8 * v[0]));
        }, exact: true);

    [Fact]
    public void Adam_matches_the_bias_corrected_moments() =>
        Compare(new Adam<double>(0.01, beta1: 0.85, beta2: 0.99, epsilon: 1e-6), new double[2 * Count], (p, g, mv, lr, t) => AdamStep(p, g, mv, lr, t, 0.85, 0.99, 1e-6, 0), exact: false);

    [Fact]
    public void AdamW_decays_the_weights_decoupled_from_the_gradient() =>
        Compare(new Adam<double>(0.01, weightDecay: 0.1), new double[2 * Count], (p, g, mv, lr, t) => AdamStep(p, g, mv, lr, t, 0.9, 0.999, 1e-8, 0.1), exact: false);

    [Fact]
    public void AdamW_with_zero_gradient_only_decays()
    {
        var adamW = new Adam<double>(0.01, weightDecay: 0.5);
        double[] p = [1.0, -2.0, 0.25];
        adamW.Step(p, new double[3], 0.1);
        double factor = 1 - (0.1 * 0.5);
        Assert.Equal([1.0 * factor, -2.0 * factor, 0.25 * factor], p);
    }

    public static TheoryData<string> Stateful => ["momentum", "nesterov", "adam", "rmsprop"];

    /// <summary>
    /// State that decays under zero gradients reaches exactly zero instead of sticking at subnormals (0.9 · 4ε rounds
    /// back to 4ε), which every later update would pay for on Intel CPUs; vector body and scalar tail alike.
    /// </summary>
    [Theory]
    [MemberData(nameof(Stateful))]
    public void State_decaying_under_zero_gradients_flushes_to_zero_not_subnormal(string name)
    {
        DecaysToZero<float>(name, 1e-30f);
        DecaysToZero<double>(name, 1e-300);
    }

    /// <summary>The flush keeps NaN: a NaN gradient still makes the state and the parameter NaN, not zero (and Step says so).</summary>
    [Theory]
    [MemberData(nameof(Stateful))]
    public void A_nan_gradient_is_not_flushed_away(string name)
    {
        Optimizer<float> optimizer = Create<float>(name);
        float[] parameters = new float[Count];
        float[] gradients = new float[Count];
        gradients[0] = float.NaN;
        gradients[Count - 1] = float.NaN;
        Assert.Throws<ArithmeticException>(() => optimizer.Step(parameters, gradients, 0.1));
        foreach (int i in new[] { 0, Count - 1 })
        {
            Assert.True(float.IsNaN(parameters[i]), $"{name}: parameter {i} is {parameters[i]}");
            Assert.True(float.IsNaN(optimizer.State[i]), $"{name}: state {i} is {optimizer.State[i]}");
        }
    }

    private static Optimizer<T> Create<T>(string name)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => name switch
        {
            "momentum" => new Sgd<T>(0.1, momentum: 0.9),
            "nesterov" => new Sgd<T>(0.1, momentum: 0.9, nesterov: true),
            "rmsprop" => new RmsProp<T>(0.1, alpha: 0.9, momentum: 0.9, centered: true),
            _ => new Adam<T>(0.01, beta1: 0.9, beta2: 0.9),
        };

    private static void DecaysToZero<T>(string name, T tiny)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Optimizer<T> optimizer = Create<T>(name);
        T[] parameters = new T[Count];
        T[] gradients = new T[Count];
        Array.Fill(parameters, T.One);
        Array.Fill(gradients, tiny);
        optimizer.Step(parameters, gradients, 0.1);
        Array.Clear(gradients);
        for (int step = 0; step < 400; step++)
        {
            optimizer.Step(parameters, gradients, 0.1);
        }

        for (int i = 0; i < optimizer.State.Length; i++)
        {
            Assert.True(optimizer.State[i] == T.Zero, $"{name} ({typeof(T).Name}): state {i} is {optimizer.State[i]} after 400 zero gradients");
        }
    }

    /// <summary>The trainer runs the update in chunks of parameters on several threads: the same bits as one whole step.</summary>
    [Fact]
    public void Trainer_updates_in_chunks_with_the_bits_of_one_whole_step() =>
        OptimizerInTrainer.RangesAreOneWholeStep(() => new Adam<double>(0.01, weightDecay: 0.01));

    /// <summary>One reference update of one parameter: p and state are one-element windows (state holds this parameter's values at stride <see cref="Count"/>).</summary>
    private delegate void ReferenceStep(Span<double> parameter, double gradient, StateWindow state, double learningRate, int step);

    /// <summary>
    /// SGD variants do the reference's operations in its order: the same bits. Adam folds the bias corrections into two
    /// scalars (lr / (1 − β₁ᵗ) and 1 / √(1 − β₂ᵗ)), which rounds differently: within 1e-14 of parameters of order 1 and
    /// updates up to 0.3 after six steps (a few units in the last place; any formula error is orders of magnitude larger).
    /// </summary>
    private static void Compare(Optimizer<double> optimizer, double[] state, ReferenceStep reference, bool exact)
    {
        var random = new SeededRandom(17);
        double[] parameters = new double[Count];
        random.FillUniform<double>(parameters, -1, 1);
        double[] expected = parameters.ToArray();
        for (int t = 1; t <= Steps; t++)
        {
            double[] gradients = new double[Count];
            random.FillUniform<double>(gradients, -2, 2);
            gradients[3] = 0;
            double learningRate = 0.05 * t;
            optimizer.Step(parameters, gradients, learningRate);
            for (int i = 0; i < Count; i++)
            {
                reference(expected.AsSpan(i, 1), gradients[i], new StateWindow(state, i), learningRate, t);
            }

            for (int i = 0; i < Count; i++)
            {
                string where = $"{optimizer.Description}, step {t}, parameter {i}: {parameters[i]:R}, expected {expected[i]:R}";
                Assert.True(exact ? parameters[i] == expected[i] : Math.Abs(parameters[i] - expected[i]) <= 1e-14, where);
            }
        }

        Assert.Equal(Steps, optimizer.StepCount);
        Assert.Equal(state.Length, optimizer.State.Length);
        for (int i = 0; i < state.Length; i++)
        {
            double actual = optimizer.State[i];
            Assert.True(exact ? actual == state[i] : Math.Abs(actual - state[i]) <= 1e-14 * Math.Max(1, Math.Abs(state[i])), $"{optimizer.Description}, state {i}: {actual:R}, expected {state[i]:R}");
        }
    }

    /// <summary>PyTorch's Adam/AdamW: decay, moments, bias corrections m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ), p −= lr m̂ / (√v̂ + ε).</summary>
    private static void AdamStep(Span<double> p, double g, StateWindow mv, double lr, int t, double beta1, double beta2, double eps, double decay)
    {
        p[0] *= 1 - (lr * decay);
        mv[0] = (beta1 * mv[0]) + ((1 - beta1) * g);
        mv[1] = (beta2 * mv[1]) + ((1 - beta2) * g * g);
        double mHat = mv[0] / (1 - Math.Pow(beta1, t));
        double vHat = mv[1] / (1 - Math.Pow(beta2, t));
        p[0] -= lr * mHat / (Math.Sqrt(vHat) + eps);
    }

    /// <summary>The state values of parameter i: block b at index b · Count + i, as the optimizers lay them out.</summary>
    private readonly struct StateWindow(double[] state, int index)
    {
        public double this[int block]
        {
            get => state[(block * Count) + index];
            set => state[(block * Count) + index] = value;
        }
    }
}
