using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// The Gaussian error linear unit in its exact form, y = x Φ(x) = x/2 (1 + erf(x/√2)) (PyTorch's <c>nn.GELU()</c>).
/// Its backward pass reads the input: dx = dy (Φ(x) + x φ(x)).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Gelu<T> : ActivationLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the activation for <paramref name="size"/> features.</summary>
    /// <param name="size">Features in and out.</param>
    public Gelu(int size)
        : base(size)
    {
    }

    /// <inheritdoc/>
    public override string Description => $"GELU({InputSize})";

    /// <inheritdoc/>
    public override bool BackwardUsesInput => true;

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => Kernels.Gelu(x, y);

    /// <inheritdoc/>
    protected override void Backpropagate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) => Kernels.GeluBackward(x, dy, dx);

    /// <inheritdoc/>
    internal override LayerKind BuiltInKind => GeluKind.Instance;

    /// <inheritdoc/>
    protected internal override Layer<T> CreateReplica() => new Gelu<T>(InputSize);
}

/// <summary>
/// The <see cref="Gelu{T}"/> layer kind. He-initialised: like ReLU, of which it is a smooth version, it passes positive
/// inputs with slope near 1 and damps negative ones, so the weights before it need ReLU's variance, not Glorot's. In ONNX, <c>Gelu</c> from opset 20, before it the form torch writes,
/// <c>Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)</c>, read back as GELU by the importer; a double network's GELU is
/// refused, as ONNX Runtime has neither a double Erf nor a double Gelu kernel, so no such file would run there.
/// </summary>
internal sealed class GeluKind : ActivationKind
{
    private const int GeluOpset = 20;

    private GeluKind()
        : base("GELU", "gelu", fileCode: 8, isElementWise: true, prefersHeInitialization: true, onnxOperator: "Gelu")
    {
    }

    public static GeluKind Instance { get; } = new();

    public override Layer<T> Create<T>(int size) => new Gelu<T>(size);

    internal override void WriteOnnx<T>(Layer<T> layer, IOnnxChainWriter writer, string name)
    {
        if (typeof(T) != typeof(float))
        {
            throw new NotSupportedException(
                $"{name} ({layer.Description}) has no ONNX form for a double network: ONNX Runtime has no double Erf or Gelu kernel, so the file would not run there. Export a float network.");
        }

        string node = OnnxNodeName(name);
        if (writer.Opset >= GeluOpset)
        {
            writer.Node("Gelu", node, [writer.Current]);
            return;
        }

        string x = writer.Current;
        writer.Node("Div", node + "_div", [x, writer.Constant($"{name}.sqrt2", [], [T.CreateTruncating(Math.Sqrt(2))])]);
        writer.Node("Erf", node + "_erf", [writer.Current]);
        writer.Node("Add", node + "_add", [writer.Current, writer.Constant($"{name}.one", [], [T.One])]);
        writer.Node("Mul", node + "_mul", [x, writer.Current]);
        writer.Node("Mul", node, [writer.Current, writer.Constant($"{name}.half", [], [T.CreateTruncating(0.5)])]);
    }

    /// <summary>The exact GELU only: approximate 'none' (the default), not the tanh approximation.</summary>
    internal override double[] ReadOnnx(IOnnxNode node, long opset)
    {
        node.EnsureOnlyAttributes("approximate");
        string approximate = node.GetString("approximate", "none");
        return approximate == "none" ? [] : throw new NotSupportedException(
            $"{node.Describe()}: approximate '{approximate}' is not supported; only the exact GELU (approximate 'none') is.");
    }
}
