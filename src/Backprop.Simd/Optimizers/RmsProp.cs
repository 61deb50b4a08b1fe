using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Simd.Optimizers;

/// <summary>
/// RMSProp — plain, with momentum, centered, with weight decay: one update with flags, in the order of PyTorch's
/// <c>torch.optim.RMSprop</c>: g += wd · p (weight decay, as an L2 term on the gradient); v = α v + (1 − α) g²;
/// centered: ḡ = α ḡ + (1 − α) g and d = √(v − ḡ²) + ε, else d = √v + ε; with momentum b = μ b + g / d and
/// p −= lr · b, else p −= lr · g / d. A subnormal v, ḡ or b is stored as zero (see <c>SubnormalFlush</c>).
/// </summary>
/// <remarks>
/// The state is the square average v, then ḡ when centered, then b with momentum, each a block as long as the
/// parameters. v − ḡ² is never negative in exact arithmetic; rounding can take it below zero once both have converged
/// on a constant gradient, so it is clamped at zero where PyTorch would take the root of a negative number.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class RmsProp<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The base learning rate (0.01 is PyTorch's default).</param>
    /// <param name="alpha">α in [0, 1), the decay of the square average.</param>
    /// <param name="epsilon">ε, added to the root; positive and finite, also as a <typeparamref name="T"/>.</param>
    /// <param name="momentum">μ in [0, 1); 0 for none.</param>
    /// <param name="centered">Whether to divide by the root of the variance (v − ḡ²) instead of v.</param>
    /// <param name="weightDecay">wd ≥ 0, added to the gradient as wd · p; 0 for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public RmsProp(double learningRate = 0.01, double alpha = 0.99, double epsilon = 1e-8, double momentum = 0, bool centered = false, double weightDecay = 0)
        : base(learningRate)
    {
        if (!(alpha >= 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α (alpha) must be in [0, 1).");
        }

        if (!(epsilon > 0) || !IsFiniteIn(epsilon) || T.IsZero(T.CreateTruncating(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"ε (epsilon) must be positive and finite as a {typeof(T).Name}.");
        }

        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        if (!(weightDecay >= 0) || !IsFiniteIn(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"Weight decay must be non-negative and finite as a {typeof(T).Name}.");
        }

        Alpha = alpha;
        Epsilon = epsilon;
        Momentum = momentum;
        Centered = centered;
        WeightDecay = weightDecay;
    }

    /// <summary>α, the decay of the square average (and of the gradient average when centered).</summary>
    public double Alpha { get; }

    /// <summary>ε, added to the root of the square average.</summary>
    public double Epsilon { get; }

    /// <summary>μ; 0 for no momentum buffer.</summary>
    public double Momentum { get; }

    /// <summary>Whether the step divides by the root of the variance estimate v − ḡ² instead of v.</summary>
    public bool Centered { get; }

    /// <summary>The weight decay, added to the gradient as wd · p (coupled, unlike AdamW's); 0 for none.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public override string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"RMSProp(lr {LearningRate}, α {Alpha}, ε {Epsilon}{(Momentum > 0 ? $", momentum {Momentum}" : "")}{(Centered ? ", centered" : "")}{(WeightDecay > 0 ? $", weight decay {WeightDecay}" : "")})");

    /// <inheritdoc/>
    public override int StatePerParameter => 1 + (Centered ? 1 : 0) + (Momentum > 0 ? 1 : 0);

    /// <inheritdoc/>
    public override string Name => RmsPropFactory.Name;

    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, double>> Hyperparameters =>
        [new("alpha", Alpha), new("epsilon", Epsilon), new("momentum", Momentum), new("centered", Centered ? 1 : 0), new("weight_decay", WeightDecay)];

    /// <inheritdoc/>
    protected override bool Update(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, double learningRate)
    {
        var rule = new Rule(this, learningRate);
        Span<T> square = state[0];
        Span<T> average = Centered ? state[1] : default;
        Span<T> buffer = Momentum > 0 ? state[state.Count - 1] : default;

        Span<Vector<T>> p = MemoryMarshal.Cast<T, Vector<T>>(parameters);
        ReadOnlySpan<Vector<T>> g = MemoryMarshal.Cast<T, Vector<T>>(gradients);
        Span<Vector<T>> v = MemoryMarshal.Cast<T, Vector<T>>(square);
        Span<Vector<T>> a = MemoryMarshal.Cast<T, Vector<T>>(average);
        Span<Vector<T>> b = MemoryMarshal.Cast<T, Vector<T>>(buffer);
        Vector<T> unused = default;

        // x − x stays 0 exactly while every updated parameter is finite (see Sgd).
        Vector<T> check = Vector<T>.Zero;
        for (int k = 0; k < p.Length; k++)
        {
            check += rule.Apply(ref p[k], g[k], ref v[k], ref Centered ? ref a[k] : ref unused, ref Momentum > 0 ? ref b[k] : ref unused);
        }

        // The tail runs through the same vector rule, zero-padded: a zero lane stays zero (0 / ε) and finite.
        int done = p.Length * Vector<T>.Count;
        if (done < parameters.Length)
        {
            int count = Vector<T>.Count;
            Span<T> lanes = stackalloc T[5 * count];
            lanes.Clear();
            Span<T> pTail = parameters[done..];
            Span<T> vTail = square[done..];
            Span<T> aTail = Tail(average, done);
            Span<T> bTail = Tail(buffer, done);
            pTail.CopyTo(lanes);
            gradients[done..].CopyTo(lanes[count..]);
            vTail.CopyTo(lanes[(2 * count)..]);
            aTail.CopyTo(lanes[(3 * count)..]);
            bTail.CopyTo(lanes[(4 * count)..]);

            Span<Vector<T>> tail = MemoryMarshal.Cast<T, Vector<T>>(lanes);
            check += rule.Apply(ref tail[0], tail[1], ref tail[2], ref tail[3], ref tail[4]);

            lanes[..pTail.Length].CopyTo(pTail);
            lanes.Slice(2 * count, vTail.Length).CopyTo(vTail);
            lanes.Slice(3 * count, aTail.Length).CopyTo(aTail);
            lanes.Slice(4 * count, bTail.Length).CopyTo(bTail);
        }

        return Vector.EqualsAll(check, Vector<T>.Zero);
    }

    /// <summary>The part of a state block from <paramref name="start"/> on; empty for a block the flags leave out.</summary>
    private static Span<T> Tail(Span<T> block, int start) => block.IsEmpty ? block : block[start..];

    private static bool IsFiniteIn(double value) => double.IsFinite(value) && T.IsFinite(T.CreateTruncating(value));

    /// <summary>The update of one vector of parameters with the step's coefficients in <typeparamref name="T"/>.</summary>
    private readonly struct Rule(RmsProp<T> optimizer, double learningRate)
    {
        private readonly T _lr = T.CreateTruncating(learningRate);
        private readonly T _alpha = T.CreateTruncating(optimizer.Alpha);
        private readonly T _oneMinusAlpha = T.CreateTruncating(1 - optimizer.Alpha);
        private readonly Vector<T> _epsilon = new(T.CreateTruncating(optimizer.Epsilon));
        private readonly T _momentum = T.CreateTruncating(optimizer.Momentum);
        private readonly T _weightDecay = T.CreateTruncating(optimizer.WeightDecay);
        private readonly bool _centered = optimizer.Centered;
        private readonly bool _hasMomentum = optimizer.Momentum > 0;
        private readonly bool _hasWeightDecay = optimizer.WeightDecay > 0;

        /// <summary>Updates p and its state in PyTorch's order of operations; returns p − p of the new p (0 when finite).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<T> Apply(ref Vector<T> p, Vector<T> g, ref Vector<T> square, ref Vector<T> average, ref Vector<T> buffer)
        {
            if (_hasWeightDecay)
            {
                g += _weightDecay * p;
            }

            square = SubnormalFlush<T>.Flush((_alpha * square) + (_oneMinusAlpha * g * g));
            Vector<T> variance = square;
            if (_centered)
            {
                average = SubnormalFlush<T>.Flush((_alpha * average) + (_oneMinusAlpha * g));
                variance -= average * average;
                variance = Vector.ConditionalSelect(Vector.LessThan(variance, Vector<T>.Zero), Vector<T>.Zero, variance);
            }

            Vector<T> denominator = Vector.SquareRoot(variance) + _epsilon;
            if (_hasMomentum)
            {
                buffer = SubnormalFlush<T>.Flush((_momentum * buffer) + (g / denominator));
                p -= _lr * buffer;
            }
            else
            {
                p -= _lr * g / denominator;
            }

            return p - p;
        }
    }
}

/// <summary>
/// Rebuilds an <see cref="RmsProp{T}"/> from its name <c>rmsprop</c> and its hyperparameters <c>alpha</c>,
/// <c>epsilon</c>, <c>momentum</c>, <c>centered</c> (0 or 1) and <c>weight_decay</c>.
/// </summary>
internal sealed class RmsPropFactory : IOptimizerFactory
{
    public const string Name = "rmsprop";

    public static RmsPropFactory Instance { get; } = new();

    public Optimizer<T> Create<T>(double learningRate, IReadOnlyDictionary<string, double> hyperparameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] values = HyperparameterValues.Read(hyperparameters, Name, "alpha", "epsilon", "momentum", "centered", "weight_decay");
        return values[3] is 0 or 1
            ? new RmsProp<T>(learningRate, values[0], values[1], values[2], centered: values[3] == 1, values[4])
            : throw new ArgumentOutOfRangeException(nameof(hyperparameters), values[3], "The centered flag must be 0 or 1.");
    }
}
