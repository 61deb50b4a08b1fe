using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// An element-wise (or row-wise) activation with no parameters: <c>y = f(x)</c>, same shape in and out. Its backward
/// pass receives the output y and, when <see cref="BackwardUsesInput"/> says it needs it, the input x as well (GELU
/// and SiLU do; sigmoid, tanh and ReLU write f'(x) through y). After a <see cref="Dense{T}"/> layer a network fuses the
/// two into one pass per row (<see cref="ActivateRowsWithBias"/>), keeping the pre-activation only for activations
/// whose backward pass reads it.
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

    /// <summary>
    /// Whether <see cref="Backpropagate"/> reads the input x; when false it receives an empty x and works from the
    /// output y alone, so the fused pass writes y over its input and keeps no pre-activation.
    /// </summary>
    public virtual bool BackwardUsesInput => false;

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
        // x: (B, N)  y: (B, N) from the last forward  dy: (B, N)  dx: (B, N)
        CheckGradient(input, outputGradient);
        if (!context.ComputeInputGradient)
        {
            return default;
        }

        MatrixSpan<T> dx = _inputGradient.Rows(input.Rows);
        BackpropagateRows(input, _output.Rows(input.Rows), outputGradient, dx);
        return dx;
    }

    /// <summary>
    /// The fused forward pass after a dense layer: <paramref name="y"/> = f(<paramref name="z"/> + bias) row by row,
    /// each row still in L1 between the bias add and the activation. <paramref name="z"/> becomes the pre-activation
    /// z + bias; <paramref name="y"/> may be <paramref name="z"/> itself when nobody needs the pre-activation.
    /// </summary>
    /// <param name="z">x W of the dense layer, [batch x N]; receives x W + b.</param>
    /// <param name="bias">The dense layer's bias, N values.</param>
    /// <param name="y">Receives f(x W + b), [batch x N].</param>
    /// <exception cref="ArgumentException">The shapes do not match the layer.</exception>
    public void ActivateRowsWithBias(MatrixSpan<T> z, ReadOnlySpan<T> bias, MatrixSpan<T> y)
    {
        CheckInput(z);
        if (bias.Length != InputSize || y.Rows != z.Rows || y.Columns != InputSize)
        {
            throw new ArgumentException($"{Description}: a bias of {bias.Length} and an output of [{y.Rows} x {y.Columns}] do not fit an input of [{z.Rows} x {z.Columns}].", nameof(y));
        }

        for (int i = 0; i < z.Rows; i++)
        {
            Span<T> row = z.Row(i);
            TensorPrimitives.Add(row, bias, row);
            Activate(row, y.Row(i));
        }
    }

    /// <summary>
    /// dx = dy · f'(x) for a batch, from the outputs <paramref name="y"/> and, when <see cref="BackwardUsesInput"/>,
    /// the inputs <paramref name="x"/> (otherwise <paramref name="x"/> is not read and may be empty).
    /// </summary>
    /// <param name="x">The forward inputs (pre-activations), [batch x N], or empty.</param>
    /// <param name="y">The forward outputs, [batch x N].</param>
    /// <param name="dy">dLoss/dy, [batch x N].</param>
    /// <param name="dx">Receives dLoss/dx, [batch x N].</param>
    /// <exception cref="ArgumentException">The shapes differ, or x is missing where the backward pass needs it.</exception>
    public void BackpropagateRows(ReadOnlyMatrixSpan<T> x, ReadOnlyMatrixSpan<T> y, ReadOnlyMatrixSpan<T> dy, MatrixSpan<T> dx)
    {
        CheckGradient(y, dy);
        if (dx.Rows != y.Rows || dx.Columns != InputSize || (BackwardUsesInput && (x.Rows != y.Rows || x.Columns != InputSize)))
        {
            throw new ArgumentException($"{Description}: the input [{x.Rows} x {x.Columns}] and input gradient [{dx.Rows} x {dx.Columns}] do not fit an output of [{y.Rows} x {y.Columns}].", nameof(dx));
        }

        bool withInput = BackwardUsesInput;
        if (dy.IsContiguous && y.IsContiguous && dx.IsContiguous && (!withInput || x.IsContiguous) && !IsRowWise)
        {
            Backpropagate(withInput ? x.Span : default, y.Span, dy.Span, dx.Span);
            return;
        }

        for (int i = 0; i < y.Rows; i++)
        {
            Backpropagate(withInput ? x.Row(i) : default, y.Row(i), dy.Row(i), dx.Row(i));
        }
    }

    /// <summary>y = f(x) for one row (or a contiguous run of rows when not row-wise); y may be x.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="y">The outputs.</param>
    protected abstract void Activate(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>dx = dy · f'(x) for one row (or a contiguous run of rows when not row-wise).</summary>
    /// <param name="x">The inputs of the forward pass when <see cref="BackwardUsesInput"/>; otherwise empty.</param>
    /// <param name="y">The outputs of the forward pass.</param>
    /// <param name="dy">dLoss/dy.</param>
    /// <param name="dx">dLoss/dx.</param>
    protected abstract void Backpropagate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx);

    /// <inheritdoc/>
    protected internal override ReadOnlyMatrixSpan<T> LastOutput => _output.Rows(_lastRows);
}
