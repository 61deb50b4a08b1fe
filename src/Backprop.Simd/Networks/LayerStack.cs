using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Networks;

/// <summary>
/// One set of layer instances with their buffers and one contiguous gradient block: the network itself, a training
/// shard's replica, or an inference context. Runs the forward pass (fusing each Dense layer with a following
/// activation), the loss and the backward pass.
/// </summary>
internal sealed class LayerStack<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;
    private readonly bool[] _fusedWithNext;
    private readonly BatchBuffer<T> _lossGradient;

    public LayerStack(Layer<T>[] layers, T[] gradients)
    {
        _layers = layers;
        Gradients = gradients;
        _fusedWithNext = new bool[layers.Length];
        for (int i = 0; i + 1 < layers.Length; i++)
        {
            _fusedWithNext[i] = layers[i] is Dense<T> && layers[i + 1] is ActivationLayer<T>;
        }

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
        for (int i = 0; i < _layers.Length; i++)
        {
            LayerContext<T> layerContext = context.ForLayer(i, _layers[i], computeInputGradient: false);
            if (_fusedWithNext[i])
            {
                // Dense + activation: x W straight into the activation's buffer, then bias and f in one pass.
                var dense = (Dense<T>)_layers[i];
                var activation = (ActivationLayer<T>)_layers[i + 1];
                MatrixSpan<T> y = activation.OutputBuffer(x.Rows);
                dense.ForwardLinear(x, y, layerContext);
                activation.ActivateWithBias(y, dense.Bias.Value.Row(0));
                x = y;
                i++;
            }
            else
            {
                x = _layers[i].Forward(x, layerContext);
            }
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
        int last = _layers.Length - 1;
        if (loss.FusesWith(_layers[last]))
        {
            // Sigmoid + binary cross-entropy or softmax + cross-entropy: the gradient with respect to the
            // activation's input is computed directly (a - t), so the activation's own backward is skipped.
            double fused = loss.ComputeFused(output, target, gradient, gradientScale);
            inputGradientValues = Backward(input, gradient, last - 1, context, inputGradient);
            return fused;
        }

        double sum = loss.Compute(output, target, gradient, gradientScale);
        inputGradientValues = Backward(input, gradient, last, context, inputGradient);
        return sum;
    }

    /// <summary>Backward from layer <paramref name="from"/> down to the first layer; returns dLoss/dInput when asked (else empty).</summary>
    public ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, int from, LayerContext<T> context, bool inputGradient = false)
    {
        ReadOnlyMatrixSpan<T> dy = outputGradient;
        for (int i = from; i >= 0; i--)
        {
            ReadOnlyMatrixSpan<T> layerInput = i == 0 ? input
                : _fusedWithNext[i - 1] ? _layers[i].LastOutput // the pre-activation was never stored; the activation needs only its shape
                : _layers[i - 1].LastOutput;
            dy = _layers[i].Backward(layerInput, dy, context.ForLayer(i, _layers[i], computeInputGradient: i > 0 || inputGradient));
        }

        return inputGradient ? dy : default;
    }
}
