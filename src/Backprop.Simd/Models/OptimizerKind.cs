using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using Backprop.Simd.Optimizers;

namespace Backprop.Simd.Models;

/// <summary>
/// The optimizer an <see cref="MlpClassifier{T}"/> (and the tool's <c>--optimizer</c>) trains with, declared once:
/// its name, which of the classifier's options it takes, how it is built from them, and which optimizers it describes.
/// <see cref="All"/> is the list.
/// </summary>
public abstract class OptimizerKind
{
    private protected OptimizerKind(string name, bool takesMomentum = false, bool takesWeightDecay = false)
    {
        Name = name;
        TakesMomentum = takesMomentum;
        TakesWeightDecay = takesWeightDecay;
    }

    /// <summary>Stochastic gradient descent, with <see cref="MlpClassifierOptions.Momentum"/> (0 for plain SGD).</summary>
    public static OptimizerKind Sgd { get; } = new SgdKind("sgd", nesterov: false);

    /// <summary>SGD with Nesterov momentum.</summary>
    public static OptimizerKind Nesterov { get; } = new SgdKind("nesterov", nesterov: true);

    /// <summary>Adam.</summary>
    public static OptimizerKind Adam { get; } = new AdamKind("adam", decoupled: false);

    /// <summary>Adam with decoupled weight decay (<see cref="MlpClassifierOptions.WeightDecay"/>).</summary>
    public static OptimizerKind AdamW { get; } = new AdamKind("adamw", decoupled: true);

    /// <summary>RMSProp (α 0.99, ε 1e-8, not centered), with <see cref="MlpClassifierOptions.Momentum"/> (0 for none).</summary>
    public static OptimizerKind RmsProp { get; } = new RmsPropKind("rmsprop");

    /// <summary>Every kind, in the order the tool lists them.</summary>
    public static IReadOnlyList<OptimizerKind> All { get; } = [Sgd, Nesterov, Adam, AdamW, RmsProp];

    /// <summary>The name on the command line, for example <c>adamw</c>.</summary>
    public string Name { get; }

    /// <summary>Whether the optimizer is built with <see cref="MlpClassifierOptions.Momentum"/>.</summary>
    public bool TakesMomentum { get; }

    /// <summary>Whether the optimizer is built with <see cref="MlpClassifierOptions.WeightDecay"/>.</summary>
    public bool TakesWeightDecay { get; }

    /// <summary>The kind named <paramref name="name"/>.</summary>
    /// <param name="name">A <see cref="Name"/>.</param>
    /// <param name="kind">The kind, or null.</param>
    /// <returns>Whether a kind has that name.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, [NotNullWhen(true)] out OptimizerKind? kind)
    {
        kind = All.FirstOrDefault(k => k.Name == name);
        return kind is not null;
    }

    /// <summary>The kind that describes <paramref name="optimizer"/> (AdamW for an Adam with weight decay), or null for an optimizer of no kind here.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <returns>The kind, or null.</returns>
    public static OptimizerKind? Of<T>(Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return All.FirstOrDefault(k => k.Describes(optimizer));
    }

    /// <summary>The <see cref="Name"/>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    /// <summary>The optimizer for the classifier's options, with base rate <paramref name="learningRate"/>.</summary>
    internal abstract Optimizer<T> Create<T>(double learningRate, MlpClassifierOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Whether <paramref name="optimizer"/> is one this kind builds.</summary>
    internal abstract bool Describes<T>(Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>;

    private sealed class SgdKind(string name, bool nesterov) : OptimizerKind(name, takesMomentum: true)
    {
        internal override Optimizer<T> Create<T>(double learningRate, MlpClassifierOptions options) => new Sgd<T>(learningRate, options.Momentum, nesterov);

        internal override bool Describes<T>(Optimizer<T> optimizer) => optimizer is Sgd<T> sgd && sgd.Nesterov == nesterov;
    }

    private sealed class AdamKind(string name, bool decoupled) : OptimizerKind(name, takesWeightDecay: decoupled)
    {
        internal override Optimizer<T> Create<T>(double learningRate, MlpClassifierOptions options) =>
            new Adam<T>(learningRate, weightDecay: TakesWeightDecay ? options.WeightDecay : 0);

        internal override bool Describes<T>(Optimizer<T> optimizer) => optimizer is Adam<T> adam && adam.WeightDecay > 0 == TakesWeightDecay;
    }

    private sealed class RmsPropKind(string name) : OptimizerKind(name, takesMomentum: true)
    {
        internal override Optimizer<T> Create<T>(double learningRate, MlpClassifierOptions options) => new RmsProp<T>(learningRate, momentum: options.Momentum);

        internal override bool Describes<T>(Optimizer<T> optimizer) => optimizer is RmsProp<T>;
    }
}
