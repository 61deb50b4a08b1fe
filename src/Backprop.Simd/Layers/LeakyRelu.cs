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
        : base("LeakyReLU", "leaky-relu", fileCode: 5, isElementWise: true, prefersHeInitialization: true, LayerField.Number("LeakyReLU slope", 0, 1, exactInElementType: true))
    {
    }

    public static LeakyReluKind Instance { get; } = new();

    public override Layer<T> Create<T>(int size) => new LeakyRelu<T>(size, T.CreateChecked(DefaultSlope));

    internal override Layer<T> Create<T>(LayerRecord record) => new LeakyRelu<T>(record.InputSize, T.CreateTruncating(record.Number(0)));

    internal override LayerRecord Record<T>(Layer<T> layer) =>
        new(this, layer.InputSize, LayerRecord.Bits(double.CreateChecked(((LeakyRelu<T>)layer).Slope)));
}
