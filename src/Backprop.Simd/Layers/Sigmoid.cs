using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>The logistic sigmoid, y = 1 / (1 + e^-x).</summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Sigmoid<T> : ActivationLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the activation for <paramref name="size"/> features.</summary>
    /// <param name="size">Features in and out.</param>
    public Sigmoid(int size)
        : base(size)
    {
    }

    /// <inheritdoc/>
    public override string Description => $"Sigmoid({InputSize})";

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => Kernels.Sigmoid(x, y);

    /// <inheritdoc/>
    protected override void Backpropagate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) => Kernels.SigmoidBackward(y, dy, dx);

    /// <inheritdoc/>
    internal override LayerKind BuiltInKind => SigmoidKind.Instance;

    /// <inheritdoc/>
    protected internal override Layer<T> CreateReplica() => new Sigmoid<T>(InputSize);
}

/// <summary>The <see cref="Sigmoid{T}"/> layer kind.</summary>
internal sealed class SigmoidKind : ActivationKind
{
    private SigmoidKind()
        : base("Sigmoid", "sigmoid", fileCode: 2, isElementWise: true, prefersHeInitialization: false, onnxOperator: "Sigmoid")
    {
    }

    public static SigmoidKind Instance { get; } = new();

    public override Layer<T> Create<T>(int size) => new Sigmoid<T>(size);
}
