using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// Row-wise softmax, y_j = e^(x_j) / Σ_k e^(x_k), computed stably. Followed by
/// <see cref="Losses.SoftmaxCrossEntropy{T}"/>, the network fuses the two: the gradient with respect to the logits
/// is then simply y − target.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Softmax<T> : ActivationLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the softmax over <paramref name="size"/> classes.</summary>
    /// <param name="size">Features in and out.</param>
    public Softmax(int size)
        : base(size)
    {
    }

    /// <inheritdoc/>
    public override string Description => $"Softmax({InputSize})";

    /// <inheritdoc/>
    protected override bool IsRowWise => true;

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => Kernels.Softmax(x, y);

    /// <inheritdoc/>
    protected override void Backpropagate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        // dx_j = y_j (dy_j - Σ_k dy_k y_k), one row.
        T dot = TensorPrimitives.Dot(dy, y);
        TensorPrimitives.Subtract(dy, dot, dx);
        TensorPrimitives.Multiply(dx, y, dx);
    }

    /// <inheritdoc/>
    internal override LayerKind BuiltInKind => SoftmaxKind.Instance;

    /// <inheritdoc/>
    protected internal override Layer<T> CreateReplica() => new Softmax<T>(InputSize);
}

/// <summary>The <see cref="Softmax{T}"/> layer kind.</summary>
internal sealed class SoftmaxKind : ActivationKind
{
    private SoftmaxKind()
        : base("Softmax", "softmax", fileCode: 6, isElementWise: false, prefersHeInitialization: false, onnxOperator: "Softmax")
    {
    }

    public static SoftmaxKind Instance { get; } = new();

    public override Layer<T> Create<T>(int size) => new Softmax<T>(size);

    internal override void WriteOnnx<T>(Layer<T> layer, IOnnxChainWriter writer, string name) =>
        writer.Node("Softmax", OnnxNodeName(name), [writer.Current], ("axis", null, 1));

    /// <summary>Softmax over the last axis of [batch x features]; LogSoftmax, which has the same attributes, is checked here too.</summary>
    internal override double[] ReadOnnx(IOnnxNode node, long opset)
    {
        node.EnsureOnlyAttributes("axis");

        // Opset 13 made the default axis -1; before, 1 (with the input coerced to 2-D). On [batch x n] both mean the last axis.
        long axis = node.GetInt("axis", opset >= 13 ? -1 : 1);
        return axis is 1 or -1 ? [] : throw new NotSupportedException(
            $"{node.Describe()}: axis {axis} is not supported; only a {node.OpType.ToLowerInvariant()} over the last axis (1 or -1) of [batch x features] is.");
    }
}
