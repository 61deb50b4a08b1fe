using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using Backprop.Simd.Layers;

namespace Backprop.Simd.Networks;

/// <summary>
/// The activation a <see cref="NetworkBuilder{T}"/> puts after a dense layer (and the hidden activation of an
/// <see cref="Models.MlpClassifier{T}"/> and of the tool): <see cref="Identity"/>, or one of the built-in activation
/// layer kinds. <see cref="All"/> lists them, read from <see cref="LayerKind.All"/>.
/// </summary>
public sealed class Activation : IEquatable<Activation>
{
    private readonly ActivationKind? _kind;

    private Activation(ActivationKind? kind)
    {
        _kind = kind;
    }

    /// <summary>None: the dense layer's output is used as is (logits, regression outputs).</summary>
    public static Activation Identity { get; } = new(null);

    /// <summary>The logistic sigmoid.</summary>
    public static Activation Sigmoid { get; } = new(SigmoidKind.Instance);

    /// <summary>The hyperbolic tangent.</summary>
    public static Activation Tanh { get; } = new(TanhKind.Instance);

    /// <summary>The rectified linear unit.</summary>
    public static Activation Relu { get; } = new(ReluKind.Instance);

    /// <summary>The leaky rectified linear unit with slope 0.01.</summary>
    public static Activation LeakyRelu { get; } = new(LeakyReluKind.Instance);

    /// <summary>Row-wise softmax.</summary>
    public static Activation Softmax { get; } = new(SoftmaxKind.Instance);

    /// <summary>The Gaussian error linear unit, exact (erf) form.</summary>
    public static Activation Gelu { get; } = new(GeluKind.Instance);

    /// <summary>The sigmoid-weighted linear unit, x σ(x).</summary>
    public static Activation Silu { get; } = new(SiluKind.Instance);

    /// <summary>Identity and every built-in activation kind, in the order of <see cref="LayerKind.All"/>.</summary>
    public static IReadOnlyList<Activation> All { get; } = [Identity, .. LayerKind.All.OfType<ActivationKind>().Select(k => new Activation(k))];

    /// <summary>The name on the command line and in descriptions, for example <c>leaky-relu</c>; <c>identity</c> for none.</summary>
    public string Name => _kind?.ToolName ?? "identity";

    /// <summary>The layer kind; null for <see cref="Identity"/>.</summary>
    public LayerKind? Kind => _kind;

    /// <summary>Whether it acts on each element alone (all but softmax, which acts on rows).</summary>
    public bool IsElementWise => _kind?.IsElementWise ?? true;

    /// <summary>How a dense layer before it starts by default: He for ReLU-like activations, Glorot otherwise.</summary>
    public WeightInitialization DefaultInitialization => _kind?.PrefersHeInitialization == true ? WeightInitialization.HeNormal : WeightInitialization.GlorotUniform;

    /// <summary>The activation named <paramref name="name"/> (a <see cref="Name"/>).</summary>
    /// <param name="name">The name, for example <c>relu</c>.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="ArgumentException">No activation has that name.</exception>
    public static Activation Parse(string name) => TryParse(name, out Activation? activation)
        ? activation
        : throw new ArgumentException($"There is no activation '{name}'; the activations are {string.Join(", ", All.Select(a => a.Name))}.", nameof(name));

    /// <summary>Finds the activation named <paramref name="name"/>.</summary>
    /// <param name="name">The name, for example <c>relu</c>.</param>
    /// <param name="activation">The activation, or null.</param>
    /// <returns>Whether one has that name.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, [NotNullWhen(true)] out Activation? activation)
    {
        activation = All.FirstOrDefault(a => a.Name == name);
        return activation is not null;
    }

    /// <summary>The activation a layer is, or null when it is none of the built-in activations.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The activation, or null.</returns>
    public static Activation? Of<T>(Layer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        return layer.Kind is ActivationKind kind ? new(kind) : null;
    }

    /// <summary>The activation layer for <paramref name="size"/> features with its default settings; null for <see cref="Identity"/>.</summary>
    /// <param name="size">Features in and out.</param>
    /// <returns>The layer, or null.</returns>
    public Layer<T>? CreateLayer<T>(int size)
        where T : unmanaged, IFloatingPointIeee754<T> => _kind?.Create<T>(size);

    /// <inheritdoc/>
    public bool Equals(Activation? other) => other is not null && ReferenceEquals(_kind, other._kind);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Activation);

    /// <inheritdoc/>
    public override int GetHashCode() => _kind?.GetHashCode() ?? 0;

    /// <summary>Whether two activations are the same.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are the same.</returns>
    public static bool operator ==(Activation? left, Activation? right) => left?.Equals(right) ?? right is null;

    /// <summary>Whether two activations differ.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(Activation? left, Activation? right) => !(left == right);

    /// <summary>The <see cref="Name"/>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
