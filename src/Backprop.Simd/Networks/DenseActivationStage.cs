using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Networks;

/// <summary>
/// A dense layer and the activation after it as one stage with its own buffers: z = x W straight into the stage's
/// output, then bias and f in one pass per row (<see cref="ActivationLayer{T}.ActivateRowsWithBias"/>). In training,
/// an activation whose backward pass reads its input (<see cref="ActivationLayer{T}.BackwardUsesInput"/>) gets the
/// pre-activation kept in a buffer of its own; the others are computed in place, y over z.
/// </summary>
internal sealed class DenseActivationStage<T> : NetworkStage<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dense<T> _dense;
    private readonly ActivationLayer<T> _activation;
    private readonly int _index;
    private readonly BatchBuffer<T> _output;
    private readonly BatchBuffer<T> _preActivation;
    private readonly BatchBuffer<T> _preActivationGradient;
    private int _rows;
    private bool _keptPreActivation;

    /// <param name="dense">The dense layer.</param>
    /// <param name="activation">The activation after it.</param>
    /// <param name="index">The dense layer's index in the network (the activation's is the next).</param>
    public DenseActivationStage(Dense<T> dense, ActivationLayer<T> activation, int index)
    {
        _dense = dense;
        _activation = activation;
        _index = index;
        _output = new BatchBuffer<T>(dense.OutputSize);
        _preActivation = new BatchBuffer<T>(dense.OutputSize);
        _preActivationGradient = new BatchBuffer<T>(dense.OutputSize);
    }

    public override Layer<T> Last => _activation;

    public override ReadOnlyMatrixSpan<T> Output => _output.Rows(_rows);

    public override ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, LayerContext<T> context)
    {
        // x: (B, In)  z = x W + b: (B, Out)  y = f(z): (B, Out)
        _rows = input.Rows;
        MatrixSpan<T> y = _output.Rows(input.Rows);
        _keptPreActivation = context.IsTraining && _activation.BackwardUsesInput;
        MatrixSpan<T> z = _keptPreActivation ? _preActivation.Rows(input.Rows) : y;
        _dense.ForwardLinear(input, z, context.ForLayer(_index, _dense, computeInputGradient: false));
        _activation.ActivateRowsWithBias(z, _dense.Bias.Value.Row(0), y);
        return y;
    }

    public override ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, LayerContext<T> context, bool inputGradient)
    {
        // dy: (B, Out)  dz = dy · f'(z): (B, Out), then the dense layer's backward from dz
        MatrixSpan<T> dz = _preActivationGradient.Rows(_rows);
        ReadOnlyMatrixSpan<T> z = _keptPreActivation ? _preActivation.Rows(_rows) : default;
        _activation.BackpropagateRows(z, Output, outputGradient, dz);
        return BackwardBelowLast(input, dz, context, inputGradient);
    }

    public override ReadOnlyMatrixSpan<T> BackwardBelowLast(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> lastInputGradient, LayerContext<T> context, bool inputGradient) =>
        _dense.Backward(input, lastInputGradient, context.ForLayer(_index, _dense, inputGradient));
}
