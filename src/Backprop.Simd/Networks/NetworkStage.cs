using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Networks;

/// <summary>
/// One step of a network's forward and backward passes: a single layer (<see cref="LayerStage{T}"/>), or a dense
/// layer fused with the activation after it (<see cref="DenseActivationStage{T}"/>).
/// </summary>
internal abstract class NetworkStage<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The stage's last layer, whose output is the stage's: a loss may fuse with it.</summary>
    public abstract Layer<T> Last { get; }

    /// <summary>The output of the last forward pass in training mode, the next stage's input.</summary>
    public abstract ReadOnlyMatrixSpan<T> Output { get; }

    /// <summary>The forward pass, each layer given its own context derived from the network's.</summary>
    public abstract ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, LayerContext<T> context);

    /// <summary>The backward pass from dLoss/dOutput; returns dLoss/dInput when <paramref name="inputGradient"/> (else empty).</summary>
    public abstract ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, LayerContext<T> context, bool inputGradient);

    /// <summary>
    /// The backward pass from the gradient with respect to <see cref="Last"/>'s input (a loss fused with it computed
    /// that directly), skipping <see cref="Last"/> itself.
    /// </summary>
    public abstract ReadOnlyMatrixSpan<T> BackwardBelowLast(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> lastInputGradient, LayerContext<T> context, bool inputGradient);
}
