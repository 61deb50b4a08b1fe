using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// An element-wise (or row-wise) activation with no parameters: <c>y = f(x)</c>, same shape in and out. Its
/// backward pass is written through the output y, so a preceding <see cref="Dense{T}"/> layer can write its
/// pre-activation straight into this layer's buffer and the bias add and activation run as one pass.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public abstract class ActivationLayer<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BatchBuffer<T> _output;
    private readonly BatchBuffer<T> _inputGradient;
    private int _lastRows;

    /// <summary>Initialises a layer of <paramref name="size"/> features.</summary>
    /// <param name="size">Features in and out.</param>
    protected ActivationLayer(int size)
        : base(size, size)
    {
        _output = new BatchBuffer<T>(size);
        _inputGradient = new BatchBuffer<T>(size);
    }

    /// <summary>Whether f works on whole rows (softmax) rather than on each element alone.</summary>
    protected virtual bool IsRowWise => false;

    /// <inheritdoc/>
    public override ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, LayerContext<T> context)
    {
        // x: (B, N)  y: (B, N)
        CheckInput(input);
        MatrixSpan<T> y = _output.Rows(input.Rows);
        _lastRows = input.Rows;
        if (input.IsContiguous && !IsRowWise)
        {
            Activate(input.Span, y.Span);
        }
        else
        {
            for (int i = 0; i < input.Rows; i++)
            {
                Activate(input.Row(i), y.Row(i));
            }
        }

        return y;
    }

    /// <inheritdoc/>
    public override ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, LayerContext<T> context)
    {
        // y: (B, N) from the last forward  dy: (B, N)  dx: (B, N)
        CheckGradient(input, outputGradient);
        if (!context.ComputeInputGradient)
        {
            return default;
        }

        ReadOnlyMatrixSpan<T> y = _output.Rows(input.Rows);
        MatrixSpan<T> dx = _inputGradient.Rows(input.Rows);
        if (outputGradient.IsContiguous && !IsRowWise)
        {
            Backpropagate(y.Span, outputGradient.Span, dx.Span);
        }
        else
        {
            for (int i = 0; i < input.Rows; i++)
            {
                Backpropagate(y.Row(i), outputGradient.Row(i), dx.Row(i));
            }
        }

        return dx;
    }

    /// <summary>y = f(x) for one row (or a contiguous run of rows when not row-wise); y may be x.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="y">The outputs.</param>
    protected abstract void Activate(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>dx = dy · f'(x), written through the output y.</summary>
    /// <param name="y">The outputs of the forward pass.</param>
    /// <param name="dy">dLoss/dy.</param>
    /// <param name="dx">dLoss/dx.</param>
    protected abstract void Backpropagate(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx);

    /// <inheritdoc/>
    protected internal override ReadOnlyMatrixSpan<T> LastOutput => _output.Rows(_lastRows);

    /// <summary>This layer's output buffer for <paramref name="rows"/> rows, for a fused producer to write into.</summary>
    internal MatrixSpan<T> OutputBuffer(int rows)
    {
        _lastRows = rows;
        return _output.Rows(rows);
    }

    /// <summary>
    /// The fused forward pass: <paramref name="z"/> (this layer's own buffer, holding x W) becomes f(x W + b) row by row,
    /// each row still in L1 between the bias add and the activation.
    /// </summary>
    internal void ActivateWithBias(MatrixSpan<T> z, ReadOnlySpan<T> bias)
    {
        for (int i = 0; i < z.Rows; i++)
        {
            Span<T> row = z.Row(i);
            TensorPrimitives.Add(row, bias, row);
            Activate(row, row);
        }
    }
}
