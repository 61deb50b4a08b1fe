using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// Inverted dropout: in training each input is kept with probability 1 − rate and scaled by 1 / (1 − rate), or set
/// to zero; at inference the layer passes its input through unchanged.
/// </summary>
/// <remarks>
/// The mask is a pure function of a key and the element's index, so it is the same whichever thread computes it:
/// training stays bitwise reproducible. The key is the context's (<see cref="LayerContext{T}.RandomKey"/>, which a
/// trainer derives from its seed, the step, the shard and the layer); without one the layer draws it from its own
/// seeded stream, which advances with every training pass.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Dropout<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BatchBuffer<T> _output;
    private readonly BatchBuffer<T> _mask;
    private readonly BatchBuffer<T> _inputGradient;
    private readonly T _scale;
    private readonly ulong _threshold;
    private ulong _key;
    private int _lastRows;

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="size">Features in and out.</param>
    /// <param name="rate">The probability of dropping an element, in [0, 1).</param>
    /// <param name="seed">The seed of the layer's own stream of masks, used when a context brings no key.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1).</exception>
    public Dropout(int size, double rate, ulong seed = 0)
        : base(size, size)
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        }

        Rate = rate;
        _scale = T.CreateChecked(1.0 / (1.0 - rate));
        _threshold = (ulong)(rate * 18446744073709551616.0);
        _key = seed;
        _output = new BatchBuffer<T>(size);
        _mask = new BatchBuffer<T>(size);
        _inputGradient = new BatchBuffer<T>(size);
    }

    /// <summary>The probability of dropping an element.</summary>
    public double Rate { get; }

    /// <summary>The key of the next mask drawn from the layer's own stream (what the <c>seed</c> argument of the constructor sets), so a model file can store it.</summary>
    internal ulong Key => _key;

    /// <inheritdoc/>
    public override string Description => $"Dropout({InputSize}, rate {Rate})";

    /// <inheritdoc/>
    public override ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, LayerContext<T> context)
    {
        CheckInput(input);
        if (!context.IsTraining)
        {
            return input;
        }

        ulong key = context.RandomKey ?? NextOwnKey();

        // x: (B, N)  mask: (B, N) of 0 or 1/(1-rate)  y = x * mask
        MatrixSpan<T> mask = _mask.Rows(input.Rows);
        MatrixSpan<T> y = _output.Rows(input.Rows);
        _lastRows = input.Rows;
        Span<T> m = mask.Span;
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = StreamKey.Mix(key, (ulong)i) < _threshold ? T.Zero : _scale;
        }

        for (int i = 0; i < input.Rows; i++)
        {
            Kernels.Multiply(input.Row(i), mask.Row(i), y.Row(i));
        }

        return y;
    }

    /// <summary>The key of this pass from the layer's own stream, which then advances.</summary>
    private ulong NextOwnKey()
    {
        ulong key = _key;
        _key = StreamKey.Mix(_key, ulong.MaxValue);
        return key;
    }

    /// <inheritdoc/>
    public override ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, LayerContext<T> context)
    {
        CheckGradient(input, outputGradient);
        if (!context.ComputeInputGradient)
        {
            return default;
        }

        MatrixSpan<T> dx = _inputGradient.Rows(input.Rows);
        ReadOnlyMatrixSpan<T> mask = _mask.Rows(input.Rows);
        for (int i = 0; i < input.Rows; i++)
        {
            Kernels.Multiply(outputGradient.Row(i), mask.Row(i), dx.Row(i));
        }

        return dx;
    }

    /// <inheritdoc/>
    protected internal override ReadOnlyMatrixSpan<T> LastOutput => _output.Rows(_lastRows);

    /// <inheritdoc/>
    internal override LayerKind BuiltInKind => DropoutKind.Instance;

    /// <inheritdoc/>
    protected internal override Layer<T> CreateReplica() => new Dropout<T>(InputSize, Rate, _key);
}

/// <summary>The <see cref="Dropout{T}"/> layer kind: its record holds the rate and the key of the layer's own stream.</summary>
internal sealed class DropoutKind : LayerKind
{
    private DropoutKind()
        : base("Dropout", "dropout", fileCode: 7, LayerField.Number("dropout rate", 0, 1), LayerField.Key("dropout key"))
    {
    }

    public static DropoutKind Instance { get; } = new();

    /// <summary>Nothing: dropout is the identity at inference.</summary>
    internal override void WriteOnnx<T>(Layer<T> layer, IOnnxChainWriter writer, string name)
    {
    }

    internal override Layer<T> Create<T>(LayerRecord record) => new Dropout<T>(record.InputSize, record.Number(0), record.Field(1));

    internal override LayerRecord Record<T>(Layer<T> layer)
    {
        var dropout = (Dropout<T>)layer;
        return new(this, layer.InputSize, LayerRecord.Bits(dropout.Rate), dropout.Key);
    }
}
