using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Networks;

/// <summary>
/// One set of layer instances with their buffers and one contiguous gradient block: the network itself, a training
/// shard's replica, or an inference context. Runs the forward pass stage by stage (each Dense layer fused with a
/// following activation, see <see cref="DenseActivationStage{T}"/>), the loss and the backward pass.
/// </summary>
internal sealed class LayerStack<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;
    private readonly NetworkStage<T>[] _stages;
    private readonly BatchBuffer<T> _lossGradient;

    public LayerStack(Layer<T>[] layers, T[] gradients)
    {
        _layers = layers;
        Gradients = gradients;
        var stages = new List<NetworkStage<T>>();
        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is Dense<T> dense && i + 1 < layers.Length && layers[i + 1] is ActivationLayer<T> activation)
            {
                stages.Add(new DenseActivationStage<T>(dense, activation, i));
                i++;
            }
            else
            {
                stages.Add(new LayerStage<T>(layers[i], i));
            }
        }

        _stages = [.. stages];
        _lossGradient = new BatchBuffer<T>(layers[^1].OutputSize);
    }

    public Layer<T>[] Layers => _layers;

    /// <summary>The gradients of every parameter, contiguous, in layer order.</summary>
    public T[] Gradients { get; }

    /// <summary>
    /// The forward pass. A training context's random key (the trainer's, per step and shard) keys the stochastic
    /// layers, each mixed with its index; without one they draw from their own seeded streams.
    /// </summary>
    public ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, LayerContext<T> context)
    {
        ReadOnlyMatrixSpan<T> x = input;
        foreach (NetworkStage<T> stage in _stages)
        {
            x = stage.Forward(x, context);
        }

        return x;
    }

    /// <summary>
    /// Forward in training mode, the loss, and backward: produces this batch's parameter gradients in
    /// <see cref="Gradients"/> as the context says and returns the sum of the per-sample losses. When the context
    /// overwrites, the layers that cannot are cleared first (a dense layer's weight gradient GEMM with beta = 0
    /// neither clears nor reads the old values).
    /// </summary>
    public double ComputeGradients(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> target, Loss<T> loss, T gradientScale, LayerContext<T> context) =>
        ComputeGradients(input, target, loss, gradientScale, context, inputGradient: false, out _);

    /// <summary>As above; with <paramref name="inputGradient"/> also the gradient with respect to the network's input.</summary>
    public double ComputeGradients(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> target, Loss<T> loss, T gradientScale, LayerContext<T> context, bool inputGradient, out ReadOnlyMatrixSpan<T> inputGradientValues)
    {
        if (context.ParameterGradients == ParameterGradientMode.Overwrite)
        {
            foreach (Layer<T> layer in _layers)
            {
                if (!layer.CanDeferParameterGradients)
                {
                    foreach (Parameter<T> p in layer.Parameters)
                    {
                        p.Gradient.AsSpan().Clear();
                    }
                }
            }
        }

        ReadOnlyMatrixSpan<T> output = Forward(input, context);
        MatrixSpan<T> gradient = _lossGradient.Rows(output.Rows);
        if (loss.FusesWith(_stages[^1].Last))
        {
            // Sigmoid + binary cross-entropy or softmax + cross-entropy: the gradient with respect to the
            // activation's input is computed directly (a - t), so the activation's own backward is skipped.
            double fused = loss.ComputeFused(output, target, gradient, gradientScale);
            inputGradientValues = Backward(input, gradient, context, inputGradient, belowLast: true);
            return fused;
        }

        double sum = loss.Compute(output, target, gradient, gradientScale);
        inputGradientValues = Backward(input, gradient, context, inputGradient, belowLast: false);
        return sum;
    }

    /// <summary>
    /// Backward from the last layer (or, <paramref name="belowLast"/>, from the gradient with respect to its input)
    /// down to the first; returns dLoss/dInput when asked (else empty).
    /// </summary>
    public ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, LayerContext<T> context, bool inputGradient = false, bool belowLast = false)
    {
        ReadOnlyMatrixSpan<T> dy = outputGradient;
        for (int s = _stages.Length - 1; s >= 0; s--)
        {
            ReadOnlyMatrixSpan<T> stageInput = s == 0 ? input : _stages[s - 1].Output;
            bool needed = s > 0 || inputGradient;
            dy = belowLast && s == _stages.Length - 1
                ? _stages[s].BackwardBelowLast(stageInput, dy, context, needed)
                : _stages[s].Backward(stageInput, dy, context, needed);
        }

        return inputGradient ? dy : default;
    }
}
