using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace CustomLayer;

/// <summary>
/// y = x ⊙ gain + shift: a trainable gain and shift per feature (as the affine part of a normalisation layer).
/// Forward and backward side by side; buffers sized for the largest batch seen and reused, so neither allocates
/// once training runs.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class FeatureScale<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> _gain;
    private readonly Parameter<T> _shift;
    private Matrix<T> _output = new(1, 1);
    private Matrix<T> _inputGradient = new(1, 1);
    private int _rows;

    /// <summary>A layer of <paramref name="size"/> features, gains 1 and shifts 0.</summary>
    public FeatureScale(int size)
        : base(size, size)
    {
        var gain = new Matrix<T>(1, size);
        gain.Fill(T.One);
        _gain = new Parameter<T>("gain", gain, isWeight: true);
        _shift = new Parameter<T>("shift", new Matrix<T>(1, size), isWeight: false);
    }

    // A replica (a training shard, an inference context) shares the values and has its own gradients and buffers.
    private FeatureScale(FeatureScale<T> original)
        : base(original.InputSize, original.OutputSize)
    {
        _gain = original._gain.Replicate();
        _shift = original._shift.Replicate();
    }

    public override string Description => $"FeatureScale({InputSize})";

    public override IReadOnlyList<Parameter<T>> Parameters => [_gain, _shift];

    protected override ReadOnlyMatrixSpan<T> LastOutput => _output.Slice(0, _rows);

    // x: (rows, n)  gain, shift: (1, n)  y: (rows, n)
    public override ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, LayerContext<T> context)
    {
        CheckInput(input);
        _rows = input.Rows;
        if (_output.Rows < _rows)
        {
            (_output, _inputGradient) = (new Matrix<T>(_rows, OutputSize), new Matrix<T>(_rows, InputSize));
        }

        ReadOnlySpan<T> gain = _gain.Value.Row(0), shift = _shift.Value.Row(0);
        for (int i = 0; i < _rows; i++)
        {
            ReadOnlySpan<T> x = input.Row(i);
            Span<T> y = _output.Row(i);
            for (int j = 0; j < x.Length; j++)
            {
                y[j] = (x[j] * gain[j]) + shift[j];
            }
        }

        return LastOutput;
    }

    // dgain += Σ_rows dy ⊙ x;  dshift += Σ_rows dy;  dx = dy ⊙ gain
    public override ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, LayerContext<T> context)
    {
        CheckGradient(input, outputGradient);
        ReadOnlySpan<T> gain = _gain.Value.Row(0);
        Span<T> dgain = _gain.Gradient.Row(0), dshift = _shift.Gradient.Row(0);
        for (int i = 0; i < input.Rows; i++)
        {
            ReadOnlySpan<T> x = input.Row(i), dy = outputGradient.Row(i);
            Span<T> dx = _inputGradient.Row(i);
            for (int j = 0; j < x.Length; j++)
            {
                dgain[j] += dy[j] * x[j];
                dshift[j] += dy[j];
                dx[j] = dy[j] * gain[j];
            }
        }

        return context.ComputeInputGradient ? _inputGradient.Slice(0, input.Rows) : default;
    }

    protected override Layer<T> CreateReplica() => new FeatureScale<T>(this);
}
