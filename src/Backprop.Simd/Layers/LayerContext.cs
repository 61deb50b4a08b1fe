using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// Everything a layer's <see cref="Layer{T}.Forward"/> and <see cref="Layer{T}.Backward"/> may depend on besides their
/// inputs and the layer's own parameters: training or inference, the random key of a stochastic layer, the threads its
/// matrix products may use, whether the input gradient is needed, and how parameter gradients are produced. A network
/// or a trainer passes one to every call; nothing sets a layer's mode from outside.
/// </summary>
/// <remarks>
/// The default value is inference on every processor. A network derives each layer's context from its own (the
/// random key mixed with the layer's index), so that a dropout mask depends only on the seed, the step, the shard
/// and the layer, never on the thread that computes it.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public readonly struct LayerContext<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly GradientDeferral<T>? _deferral;
    private readonly int _layer;
    private readonly int _batchRows;
    private readonly int _firstRow;

    private LayerContext(bool training, ulong? randomKey, int maxDegreeOfParallelism, bool computeInputGradient, ParameterGradientMode parameterGradients, GradientDeferral<T>? deferral, int layer, int batchRows, int firstRow)
    {
        IsTraining = training;
        RandomKey = randomKey;
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
        ComputeInputGradient = computeInputGradient;
        ParameterGradients = parameterGradients;
        _deferral = deferral;
        _layer = layer;
        _batchRows = batchRows;
        _firstRow = firstRow;
    }

    /// <summary>Training mode (dropout active, state kept for <see cref="Layer{T}.Backward"/>) or inference.</summary>
    public bool IsTraining { get; }

    /// <summary>
    /// The key a stochastic layer draws this pass's randomness from (a function of the seed, step, shard and layer), or
    /// null for its own seeded stream, which then advances with every pass.
    /// </summary>
    public ulong? RandomKey { get; }

    /// <summary>The most threads the layer's matrix products may use: 1 for the calling thread only, 0 for every processor.</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <summary>Whether <see cref="Layer{T}.Backward"/> must return the gradient with respect to its input (not for a network's first layer).</summary>
    public bool ComputeInputGradient { get; }

    /// <summary>How <see cref="Layer{T}.Backward"/> produces the parameter gradients.</summary>
    public ParameterGradientMode ParameterGradients { get; }

    /// <summary>An inference context.</summary>
    /// <param name="maxDegreeOfParallelism">The most threads for the layer's matrix products; 0 for every processor.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is negative.</exception>
    public static LayerContext<T> Inference(int maxDegreeOfParallelism = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDegreeOfParallelism);
        return new(false, null, maxDegreeOfParallelism, false, ParameterGradientMode.Accumulate, null, 0, 0, 0);
    }

    /// <summary>A training context.</summary>
    /// <param name="randomKey">The key of a stochastic layer's randomness; null for its own seeded stream.</param>
    /// <param name="maxDegreeOfParallelism">The most threads for the layer's matrix products; 0 for every processor.</param>
    /// <param name="parameterGradients"><see cref="ParameterGradientMode.Accumulate"/> or <see cref="ParameterGradientMode.Overwrite"/>
    /// (<see cref="ParameterGradientMode.Defer"/> needs the batch-wide buffers of a trainer's plan).</param>
    /// <param name="computeInputGradient">Whether <see cref="Layer{T}.Backward"/> returns the input gradient.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is negative, or <paramref name="parameterGradients"/> is not Accumulate or Overwrite.</exception>
    public static LayerContext<T> Training(ulong? randomKey = null, int maxDegreeOfParallelism = 0, ParameterGradientMode parameterGradients = ParameterGradientMode.Accumulate, bool computeInputGradient = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDegreeOfParallelism);
        if (parameterGradients is not (ParameterGradientMode.Accumulate or ParameterGradientMode.Overwrite))
        {
            throw new ArgumentOutOfRangeException(nameof(parameterGradients), parameterGradients, "A context made here accumulates or overwrites; deferring needs the batch-wide buffers of a trainer's plan.");
        }

        return new(true, randomKey, maxDegreeOfParallelism, computeInputGradient, parameterGradients, null, 0, 0, 0);
    }

    /// <summary>A training shard's context that defers the parameter gradients of the layers with buffers in <paramref name="deferral"/>.</summary>
    internal static LayerContext<T> Deferring(ulong randomKey, int maxDegreeOfParallelism, GradientDeferral<T> deferral, int batchRows, int firstRow) =>
        new(true, randomKey, maxDegreeOfParallelism, false, ParameterGradientMode.Defer, deferral, 0, batchRows, firstRow);

    /// <summary>
    /// Layer <paramref name="index"/>'s context within a network run with this one: the random key mixed with the index,
    /// and the gradient mode the layer supports (a layer that cannot defer accumulates; the network clears its gradients first when overwriting).
    /// </summary>
    internal LayerContext<T> ForLayer(int index, Layer<T> layer, bool computeInputGradient)
    {
        ulong? key = RandomKey is ulong k ? StreamKey.Mix(k, (ulong)index) : null;
        ParameterGradientMode mode = layer.CanDeferParameterGradients ? ParameterGradients : ParameterGradientMode.Accumulate;
        return new(IsTraining, key, MaxDegreeOfParallelism, computeInputGradient, mode, _deferral, index, _batchRows, _firstRow);
    }

    /// <summary>
    /// With <see cref="ParameterGradientMode.Defer"/>: copies this shard's rows of the layer's input and output
    /// gradient to the batch-wide buffers, from which <see cref="Layer{T}.ComputeParameterGradients"/> later computes
    /// the whole minibatch's parameter gradients.
    /// </summary>
    /// <param name="input">The input of the layer's last forward pass, [rows x in].</param>
    /// <param name="outputGradient">dLoss/dOutput, [rows x out].</param>
    /// <exception cref="InvalidOperationException">The context does not defer.</exception>
    public void DeferRows(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient)
    {
        if (ParameterGradients != ParameterGradientMode.Defer || _deferral is null)
        {
            throw new InvalidOperationException($"This context's parameter gradients are {ParameterGradients}, not deferred: compute them in Backward.");
        }

        _deferral.Store(_layer, _batchRows, _firstRow, input, outputGradient);
    }
}
