using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// The batch-wide buffers where a training shard's layers leave their rows of the layer input and output gradient
/// (<see cref="ParameterGradientMode.Defer"/>), so that each layer's parameter gradients are computed once for the
/// whole minibatch (one product with K = the batch) instead of once per shard followed by a sum of the shards' gradients.
/// </summary>
/// <remarks>
/// Per-shard gradients cost S × (parameters) values written and read back per step, whatever the shards' rows; copying
/// the rows costs (in + out) values per row, and the batch's product runs with K = batch rather than K = batch / S.
/// The trainer's plan chooses between the two.
/// </remarks>
internal sealed class GradientDeferral<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BatchBuffer<T>?[] _inputs;
    private readonly BatchBuffer<T>?[] _outputGradients;

    /// <summary>Buffers for the layers that <paramref name="defers"/> selects; the first layer's input is the minibatch itself and gets none.</summary>
    public GradientDeferral(IReadOnlyList<Layer<T>> layers, Func<int, bool> defers)
    {
        _inputs = new BatchBuffer<T>?[layers.Count];
        _outputGradients = new BatchBuffer<T>?[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            if (defers(i))
            {
                _inputs[i] = i == 0 ? null : new BatchBuffer<T>(layers[i].InputSize);
                _outputGradients[i] = new BatchBuffer<T>(layers[i].OutputSize);
            }
        }
    }

    /// <summary>Grows every buffer to <paramref name="rows"/> before the shards run, so that none reallocates under them.</summary>
    public void Reserve(int rows)
    {
        for (int i = 0; i < _outputGradients.Length; i++)
        {
            _inputs[i]?.Rows(rows);
            _outputGradients[i]?.Rows(rows);
        }
    }

    /// <summary>Whether layer <paramref name="layer"/> has buffers.</summary>
    public bool Defers(int layer) => _outputGradients[layer] is not null;

    /// <summary>Layer <paramref name="layer"/>'s inputs for the whole batch; null for the first layer, whose input is the minibatch.</summary>
    public ReadOnlyMatrixSpan<T> Inputs(int layer, int batchRows, ReadOnlyMatrixSpan<T> minibatch) =>
        _inputs[layer] is { } inputs ? inputs.Rows(batchRows) : minibatch;

    /// <summary>Layer <paramref name="layer"/>'s output gradients for the whole batch.</summary>
    public ReadOnlyMatrixSpan<T> OutputGradients(int layer, int batchRows) => _outputGradients[layer]!.Rows(batchRows);

    /// <summary>Copies a shard's input and output gradient of layer <paramref name="layer"/> to its rows of the batch.</summary>
    public void Store(int layer, int batchRows, int firstRow, ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient)
    {
        BatchBuffer<T> outputGradients = _outputGradients[layer]
            ?? throw new InvalidOperationException($"Layer {layer} has no batch-wide buffers: the plan defers only layers whose CanDeferParameterGradients is true.");
        if (_inputs[layer] is { } inputs)
        {
            input.CopyTo(inputs.Rows(batchRows).Slice(firstRow, input.Rows));
        }

        outputGradient.CopyTo(outputGradients.Rows(batchRows).Slice(firstRow, outputGradient.Rows));
    }
}
