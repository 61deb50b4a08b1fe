using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Networks;

/// <summary>A stage of one layer: its own forward and backward passes.</summary>
internal sealed class LayerStage<T> : NetworkStage<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T> _layer;
    private readonly int _index;

    /// <param name="layer">The layer.</param>
    /// <param name="index">Its index in the network (keys its randomness and its batch-wide gradient buffers).</param>
    public LayerStage(Layer<T> layer, int index)
    {
        _layer = layer;
        _index = index;
    }

    public override Layer<T> Last => _layer;

    public override ReadOnlyMatrixSpan<T> Output => _layer.LastOutput;

    public override ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, LayerContext<T> context) =>
        _layer.Forward(input, context.ForLayer(_index, _layer, computeInputGradient: false));

    public override ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, LayerContext<T> context, bool inputGradient) =>
        _layer.Backward(input, outputGradient, context.ForLayer(_index, _layer, inputGradient));

    /// <summary>The layer is the stage: what reaches its input is the stage's input gradient.</summary>
    public override ReadOnlyMatrixSpan<T> BackwardBelowLast(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> lastInputGradient, LayerContext<T> context, bool inputGradient) =>
        inputGradient ? lastInputGradient : default;
}
