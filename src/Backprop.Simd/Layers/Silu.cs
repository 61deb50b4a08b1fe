using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// The sigmoid-weighted linear unit, y = x σ(x) (PyTorch's <c>nn.SiLU()</c>, also called swish). Its backward pass reads
/// the input: dx = dy σ(x) (1 + x (1 - σ(x))).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Silu<T> : ActivationLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the activation for <paramref name="size"/> features.</summary>
    /// <param name="size">Features in and out.</param>
    public Silu(int size)
        : base(size)
    {
    }

    /// <inheritdoc/>
    public override string Description => $"SiLU({InputSize})";

    /// <inheritdoc/>
    public override bool BackwardUsesInput => true;

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => Kernels.Silu(x, y);

    /// <inheritdoc/>
    protected override void Backpropagate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) => Kernels.SiluBackward(x, dy, dx);

    /// <inheritdoc/>
    internal override LayerKind BuiltInKind => SiluKind.Instance;

    /// <inheritdoc/>
    protected internal override Layer<T> CreateReplica() => new Silu<T>(InputSize);
}

/// <summary>
/// The <see cref="Silu{T}"/> layer kind. He-initialised: like ReLU it passes positive inputs with slope near 1 and
/// damps negative ones, so the weights before it need ReLU's variance, not Glorot's. ONNX has no SiLU operator: it is
/// written, at every opset and in float and double, as torch writes it, <c>Mul(x, Sigmoid(x))</c>, which the importer
/// reads back as SiLU.
/// </summary>
internal sealed class SiluKind : ActivationKind
{
    private SiluKind()
        : base("SiLU", "silu", fileCode: 9, isElementWise: true, prefersHeInitialization: true, onnxOperator: null)
    {
    }

    public static SiluKind Instance { get; } = new();

    public override Layer<T> Create<T>(int size) => new Silu<T>(size);

    internal override void WriteOnnx<T>(Layer<T> layer, IOnnxChainWriter writer, string name)
    {
        string x = writer.Current;
        string node = OnnxNodeName(name);
        writer.Node("Sigmoid", node + "_sigmoid", [x]);
        writer.Node("Mul", node, [x, writer.Current]);
    }
}
