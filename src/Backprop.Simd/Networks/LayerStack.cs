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

    public int MaxDegreeOfParallelism
    {
        set
        {
            foreach (Layer<T> layer in _layers)
            {
                layer.MaxDegreeOfParallelism = value;
            }
        }
    }

    /// <summary>
    /// The forward pass. In training mode a <paramref name="randomKey"/> (the trainer's, per step and shard) keys the
    /// stochastic layers; without one they draw from their own seeded streams, which advance with every pass.
    /// </summary>
    public ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, bool training, ulong? randomKey = null)
    {
        ReadOnlyMatrixSpan<T> x = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            if (training && randomKey is ulong key)
            {
                _layers[i].SetRandomKey(StreamKey.Mix(key, (ulong)i));
            }

            if (_fusedWithNext[i])
            {
                // Dense + activation: x W straight into the activation's buffer, then bias and f in one pass.
                var dense = (Dense<T>)_layers[i];
                var activation = (ActivationLayer<T>)_layers[i + 1];
                MatrixSpan<T> y = activation.OutputBuffer(x.Rows);
                dense.ForwardLinear(x, y);
                activation.ActivateWithBias(y, dense.Bias.Value.Row(0));
                x = y;
                i++;
            }
            else
            {
                x = _layers[i].Forward(x, training);
            }
        }

        return x;
    }

    /// <summary>
    /// Forward in training mode, the loss, and backward: adds this batch's parameter gradients to
    /// <see cref="Gradients"/> and returns the sum of the per-sample losses.
    /// </summary>
    public double ComputeGradients(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> target, Loss<T> loss, T gradientScale, ulong? randomKey) =>
        ComputeGradients(input, target, loss, gradientScale, randomKey, inputGradient: false, out _);

    /// <summary>
    /// As <see cref="ComputeGradients(ReadOnlyMatrixSpan{T}, ReadOnlyMatrixSpan{T}, Loss{T}, T, ulong?)"/>, but
    /// <see cref="Gradients"/> becomes this batch's gradients (a training shard's step): layers that can write their
    /// gradients do so (a dense layer's weight gradient GEMM with beta = 0 neither clears nor reads the old values),
    /// the others are cleared first.
    /// </summary>
    public double ReplaceGradients(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> target, Loss<T> loss, T gradientScale, ulong? randomKey)
    {
        foreach (Layer<T> layer in _layers)
        {
            layer.ReplaceGradients = layer.SupportsReplacingGradients;
            if (!layer.SupportsReplacingGradients)
            {
                foreach (Parameter<T> p in layer.Parameters)
                {
                    p.Gradient.AsSpan().Clear();
                }
            }
        }

        try
        {
            return ComputeGradients(input, target, loss, gradientScale, randomKey, inputGradient: false, out _);
        }
        finally
        {
            foreach (Layer<T> layer in _layers)
            {
                layer.ReplaceGradients = false;
            }
        }
    }

    /// <summary>As above; with <paramref name="inputGradient"/> also the gradient with respect to the network's input.</summary>
    public double ComputeGradients(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> target, Loss<T> loss, T gradientScale, ulong? randomKey, bool inputGradient, out ReadOnlyMatrixSpan<T> inputGradientValues)
    {
        ReadOnlyMatrixSpan<T> output = Forward(input, training: true, randomKey);
        MatrixSpan<T> gradient = _lossGradient.Rows(output.Rows);
        int last = _layers.Length - 1;
        if (loss.FusesWith(_layers[last]))
        {
            // Sigmoid + binary cross-entropy or softmax + cross-entropy: the gradient with respect to the
            // activation's input is computed directly (a - t), so the activation's own backward is skipped.
            double fused = loss.ComputeFused(output, target, gradient, gradientScale);
            inputGradientValues = Backward(input, gradient, last - 1, inputGradient);
            return fused;
        }

        double sum = loss.Compute(output, target, gradient, gradientScale);
        inputGradientValues = Backward(input, gradient, last, inputGradient);
        return sum;
    }

    /// <summary>Backward from layer <paramref name="from"/> down to the first layer; returns dLoss/dInput when asked (else empty).</summary>
    public ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, int from, bool inputGradient = false)
    {
        ReadOnlyMatrixSpan<T> dy = outputGradient;
        for (int i = from; i >= 0; i--)
        {
            ReadOnlyMatrixSpan<T> layerInput = i == 0 ? input
                : _fusedWithNext[i - 1] ? _layers[i].LastOutput // the pre-activation was never stored; the activation needs only its shape
                : _layers[i - 1].LastOutput;
            dy = _layers[i].Backward(layerInput, dy, computeInputGradient: i > 0 || inputGradient);
        }

        return inputGradient ? dy : default;
    }
}
