using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Backprop.Simd.Optimizers;

/// <summary>
/// Stochastic gradient descent, plain, with momentum, or with Nesterov momentum — one update with flags, as in
/// PyTorch: v = μ v + g; step = g + μ v (Nesterov) or v (momentum) or g (plain); p −= lr · step. A subnormal v is
/// stored as zero (see <c>SubnormalFlush</c>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Sgd<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The base learning rate.</param>
    /// <param name="momentum">μ in [0, 1); 0 for plain SGD.</param>
    /// <param name="nesterov">Nesterov momentum (needs μ &gt; 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false)
        : base(learningRate)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        if (nesterov && momentum == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nesterov), "Nesterov momentum needs a positive momentum.");
        }

        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>μ; 0 for plain SGD.</summary>
    public double Momentum { get; }

    /// <summary>Whether the step looks ahead along the momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override string Description => Momentum == 0
        ? string.Create(CultureInfo.InvariantCulture, $"SGD(lr {LearningRate})")
        : string.Create(CultureInfo.InvariantCulture, $"SGD(lr {LearningRate}, momentum {Momentum}{(Nesterov ? ", Nesterov" : "")})");

    /// <inheritdoc/>
    public override int StatePerParameter => Momentum == 0 ? 0 : 1;

    /// <inheritdoc/>
    public override string Name => SgdFactory.Name;

    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, double>> Hyperparameters => [new("momentum", Momentum), new("nesterov", Nesterov ? 1 : 0)];

    /// <inheritdoc/>
    protected override bool Update(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, double learningRate)
    {
        T lr = T.CreateTruncating(learningRate);
        T mu = T.CreateTruncating(Momentum);
        Span<T> velocity = StatePerParameter == 0 ? default : state[0];
        int i = 0;
        bool finite = true;
        if (Vector.IsHardwareAccelerated)
        {
            Span<Vector<T>> p = MemoryMarshal.Cast<T, Vector<T>>(parameters);
            ReadOnlySpan<Vector<T>> g = MemoryMarshal.Cast<T, Vector<T>>(gradients);
            Span<Vector<T>> v = MemoryMarshal.Cast<T, Vector<T>>(velocity);
            // x − x is 0 for every finite x and NaN for ±∞ and NaN, so the sum stays 0 exactly while all are finite.
            Vector<T> check = Vector<T>.Zero;
            for (int k = 0; k < p.Length; k++)
            {
                Vector<T> updated = p[k] - (lr * Direction(g[k], v, k, mu));
                p[k] = updated;
                check += updated - updated;
            }

            finite = Vector.EqualsAll(check, Vector<T>.Zero);
            i = p.Length * Vector<T>.Count;
        }

        for (; i < parameters.Length; i++)
        {
            T step = gradients[i];
            if (StatePerParameter > 0)
            {
                velocity[i] = SubnormalFlush<T>.Flush((mu * velocity[i]) + step);
                step = Nesterov ? step + (mu * velocity[i]) : velocity[i];
            }

            parameters[i] -= lr * step;
            finite &= T.IsFinite(parameters[i]);
        }

        return finite;
    }

    private Vector<T> Direction(Vector<T> g, Span<Vector<T>> velocity, int k, T mu)
    {
        if (StatePerParameter == 0)
        {
            return g;
        }

        Vector<T> v = velocity[k] = SubnormalFlush<T>.Flush((mu * velocity[k]) + g);
        return Nesterov ? g + (mu * v) : v;
    }
}

/// <summary>Rebuilds an <see cref="Sgd{T}"/> from its name <c>sgd</c> and its hyperparameters <c>momentum</c> and <c>nesterov</c> (0 or 1).</summary>
internal sealed class SgdFactory : IOptimizerFactory
{
    public const string Name = "sgd";

    public static SgdFactory Instance { get; } = new();

    public Optimizer<T> Create<T>(double learningRate, IReadOnlyDictionary<string, double> hyperparameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] values = HyperparameterValues.Read(hyperparameters, Name, "momentum", "nesterov");
        return values[1] is 0 or 1
            ? new Sgd<T>(learningRate, values[0], nesterov: values[1] == 1)
            : throw new ArgumentOutOfRangeException(nameof(hyperparameters), values[1], "The nesterov flag must be 0 or 1.");
    }
}
