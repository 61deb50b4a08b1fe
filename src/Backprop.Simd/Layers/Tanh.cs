using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>The hyperbolic tangent, y = tanh x.</summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Tanh<T> : ActivationLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the activation for <paramref name="size"/> features.</summary>
    /// <param name="size">Features in and out.</param>
    public Tanh(int size)
        : base(size)
    {
    }

    /// <inheritdoc/>
    public override string Description => $"Tanh({InputSize})";

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => Kernels.Tanh(x, y);

    /// <inheritdoc/>
    protected override void Backpropagate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) => Kernels.TanhBackward(y, dy, dx);

    /// <inheritdoc/>
    internal override LayerKind BuiltInKind => TanhKind.Instance;

    /// <inheritdoc/>
    protected internal override Layer<T> CreateReplica() => new Tanh<T>(InputSize);
}

/// <summary>The <see cref="Tanh{T}"/> layer kind.</summary>
internal sealed class TanhKind : ActivationKind
{
    private TanhKind()
        : base("Tanh", "tanh", fileCode: 3, isElementWise: true, prefersHeInitialization: false, onnxOperator: "Tanh")
    {
    }

    public static TanhKind Instance { get; } = new();

    public override Layer<T> Create<T>(int size) => new Tanh<T>(size);
}
