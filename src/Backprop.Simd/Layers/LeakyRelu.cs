using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>The leaky rectified linear unit, y = x for x &gt; 0, slope · x otherwise.</summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class LeakyRelu<T> : ActivationLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the activation for <paramref name="size"/> features.</summary>
    /// <param name="size">Features in and out.</param>
    /// <param name="slope">The slope for negative inputs, in [0, 1); 0.01 by convention.</param>
    /// <exception cref="ArgumentOutOfRangeException">The slope is negative, 1 or more, or not finite. (The backward pass
    /// reads the sign of the input from the output, which needs a non-negative slope.)</exception>
    public LeakyRelu(int size, T slope)
        : base(size)
    {
        if (!(slope >= T.Zero && slope < T.One))
        {
            throw new ArgumentOutOfRangeException(nameof(slope), slope, "The slope must be in [0, 1).");
        }

        Slope = slope;
    }

    /// <summary>The slope for negative inputs.</summary>
    public T Slope { get; }

    /// <inheritdoc/>
    public override string Description => $"LeakyReLU({InputSize}, slope {Slope})";

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => Kernels.LeakyRelu(x, Slope, y);

    /// <inheritdoc/>
    protected override void Backpropagate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) => Kernels.LeakyReluBackward(y, Slope, dy, dx);

    /// <inheritdoc/>
    internal override LayerKind BuiltInKind => LeakyReluKind.Instance;

    /// <inheritdoc/>
    protected internal override Layer<T> CreateReplica() => new LeakyRelu<T>(InputSize, Slope);
}

/// <summary>The <see cref="LeakyRelu{T}"/> layer kind: its record holds the slope.</summary>
internal sealed class LeakyReluKind : ActivationKind
{
    /// <summary>The slope of a leaky ReLU made without one.</summary>
    public const double DefaultSlope = 0.01;

    private LeakyReluKind()
        : base("LeakyReLU", "leaky-relu", fileCode: 5, isElementWise: true, prefersHeInitialization: true, onnxOperator: "LeakyRelu", LayerField.Number("LeakyReLU slope", 0, 1, exactInElementType: true))
    {
    }

    public static LeakyReluKind Instance { get; } = new();

    public override Layer<T> Create<T>(int size) => new LeakyRelu<T>(size, T.CreateChecked(DefaultSlope));

    internal override Layer<T> Create<T>(LayerRecord record) => new LeakyRelu<T>(record.InputSize, T.CreateTruncating(record.Number(0)));

    internal override LayerRecord Record<T>(Layer<T> layer) =>
        new(this, layer.InputSize, LayerRecord.Bits(double.CreateChecked(((LeakyRelu<T>)layer).Slope)));

    /// <summary>
    /// <c>LeakyRelu(x; alpha = slope)</c> in a float network. In a double one, <c>Max(x, Mul(x, slope))</c> with the slope
    /// a double constant: the alpha attribute is a float, and ONNX Runtime has no double LeakyRelu at most opsets, while
    /// for a slope in [0, 1) the Max is the same function, exact and runnable everywhere.
    /// </summary>
    internal override void WriteOnnx<T>(Layer<T> layer, IOnnxChainWriter writer, string name)
    {
        T slope = ((LeakyRelu<T>)layer).Slope;
        if (typeof(T) == typeof(float))
        {
            writer.Node("LeakyRelu", OnnxNodeName(name), [writer.Current], ("alpha", float.CreateTruncating(slope), null));
            return;
        }

        string x = writer.Current;
        writer.Node("Mul", OnnxNodeName(name) + "_scale", [x, writer.Constant($"{name}.slope", [], [slope])]);
        writer.Node("Max", OnnxNodeName(name), [x, writer.Current]);
    }

    /// <summary>The slope from alpha (0.01 when absent): exact for a float network, and for a double one the decimal the float came from.</summary>
    internal override double[] ReadOnnx(IOnnxNode node, long opset)
    {
        node.EnsureOnlyAttributes("alpha");
        return [node.GetNumber("alpha", DefaultSlope)];
    }
}
