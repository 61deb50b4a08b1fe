using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>The rectified linear unit, y = max(x, 0).</summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Relu<T> : ActivationLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the activation for <paramref name="size"/> features.</summary>
    /// <param name="size">Features in and out.</param>
    public Relu(int size)
        : base(size)
    {
    }

    /// <inheritdoc/>
    public override string Description => $"ReLU({InputSize})";

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => Kernels.Relu(x, y);

    /// <inheritdoc/>
    protected override void Backpropagate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) => Kernels.ReluBackward(y, dy, dx);

    /// <inheritdoc/>
    internal override LayerKind BuiltInKind => ReluKind.Instance;

    /// <inheritdoc/>
    protected internal override Layer<T> CreateReplica() => new Relu<T>(InputSize);
}

/// <summary>The <see cref="Relu{T}"/> layer kind.</summary>
internal sealed class ReluKind : ActivationKind
{
    private ReluKind()
        : base("ReLU", "relu", fileCode: 4, isElementWise: true, prefersHeInitialization: true, onnxOperator: "Relu")
    {
    }

    public static ReluKind Instance { get; } = new();

    public override Layer<T> Create<T>(int size) => new Relu<T>(size);
}
