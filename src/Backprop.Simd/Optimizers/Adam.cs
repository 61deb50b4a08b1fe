using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Backprop.Simd.Optimizers;

/// <summary>
/// Adam, and AdamW with decoupled weight decay — one update with a flag, as in PyTorch:
/// p −= lr · wd · p (AdamW only); m = β₁ m + (1 − β₁) g; v = β₂ v + (1 − β₂) g²;
/// p −= lr · m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ). A subnormal m or v is stored as zero (see
/// <c>SubnormalFlush</c>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Adam<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The base learning rate (0.001 is the usual start).</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0.</param>
    /// <param name="weightDecay">Decoupled weight decay (AdamW) ≥ 0; 0 for plain Adam.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1).");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1).");
        }

        if (!(epsilon > 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive and finite.");
        }

        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be non-negative and finite.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>β₁, the decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to the root of the second moment.</summary>
    public double Epsilon { get; }

    /// <summary>The decoupled weight decay (AdamW); 0 for Adam.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public override string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"{(WeightDecay > 0 ? "AdamW" : "Adam")}(lr {LearningRate}, β₁ {Beta1}, β₂ {Beta2}, ε {Epsilon}{(WeightDecay > 0 ? $", weight decay {WeightDecay}" : "")})");

    /// <inheritdoc/>
    public override int StatePerParameter => 2;

    /// <inheritdoc/>
    public override string Name => AdamFactory.Name;

    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, double>> Hyperparameters =>
        [new("beta1", Beta1), new("beta2", Beta2), new("epsilon", Epsilon), new("weight_decay", WeightDecay)];

    /// <inheritdoc/>
    protected override bool Update(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, double learningRate)
    {
        int n = parameters.Length;
        Span<T> m = state[0];
        Span<T> v = state[1];
        double correction1 = 1 - Math.Pow(Beta1, StepCount);
        double correction2 = 1 - Math.Pow(Beta2, StepCount);

        // p -= (lr / c1) m / (sqrt(v) / sqrt(c2) + eps): the bias corrections folded into two scalars.
        T decay = T.CreateTruncating(1 - (learningRate * WeightDecay));
        T b1 = T.CreateTruncating(Beta1);
        T b2 = T.CreateTruncating(Beta2);
        T c1 = T.CreateTruncating(1 - Beta1);
        T c2 = T.CreateTruncating(1 - Beta2);
        T stepSize = T.CreateTruncating(learningRate / correction1);
        T rootCorrection = T.CreateTruncating(1 / Math.Sqrt(correction2));
        T eps = T.CreateTruncating(Epsilon);
        bool decoupled = WeightDecay > 0;

        int i = 0;
        bool finite = true;
        if (Vector.IsHardwareAccelerated)
        {
            Span<Vector<T>> pv = MemoryMarshal.Cast<T, Vector<T>>(parameters);
            ReadOnlySpan<Vector<T>> gv = MemoryMarshal.Cast<T, Vector<T>>(gradients);
            Span<Vector<T>> mv = MemoryMarshal.Cast<T, Vector<T>>(m);
            Span<Vector<T>> vv = MemoryMarshal.Cast<T, Vector<T>>(v);
            // x − x stays 0 exactly while every updated parameter is finite (see Sgd).
            Vector<T> check = Vector<T>.Zero;
            for (int k = 0; k < pv.Length; k++)
            {
                Vector<T> g = gv[k];
                Vector<T> mk = mv[k] = SubnormalFlush<T>.Flush((b1 * mv[k]) + (c1 * g));
                Vector<T> vk = vv[k] = SubnormalFlush<T>.Flush((b2 * vv[k]) + (c2 * (g * g)));
                Vector<T> p = decoupled ? pv[k] * decay : pv[k];
                Vector<T> updated = p - (stepSize * mk / ((Vector.SquareRoot(vk) * rootCorrection) + new Vector<T>(eps)));
                pv[k] = updated;
                check += updated - updated;
            }

            finite = Vector.EqualsAll(check, Vector<T>.Zero);
            i = pv.Length * Vector<T>.Count;
        }

        for (; i < n; i++)
        {
            T g = gradients[i];
            T mk = m[i] = SubnormalFlush<T>.Flush((b1 * m[i]) + (c1 * g));
            T vk = v[i] = SubnormalFlush<T>.Flush((b2 * v[i]) + (c2 * (g * g)));
            T p = decoupled ? parameters[i] * decay : parameters[i];
            parameters[i] = p - (stepSize * mk / ((T.Sqrt(vk) * rootCorrection) + eps));
            finite &= T.IsFinite(parameters[i]);
        }

        return finite;
    }
}

/// <summary>Rebuilds an <see cref="Adam{T}"/> from its name <c>adam</c> and its hyperparameters <c>beta1</c>, <c>beta2</c>, <c>epsilon</c> and <c>weight_decay</c>.</summary>
internal sealed class AdamFactory : IOptimizerFactory
{
    public const string Name = "adam";

    public static AdamFactory Instance { get; } = new();

    public Optimizer<T> Create<T>(double learningRate, IReadOnlyDictionary<string, double> hyperparameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] values = HyperparameterValues.Read(hyperparameters, Name, "beta1", "beta2", "epsilon", "weight_decay");
        return new Adam<T>(learningRate, values[0], values[1], values[2], values[3]);
    }
}
