using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// Where a training shard's <see cref="Dense{T}"/> layer leaves its rows of the layer's input and output gradient,
/// so that the step computes the weight and bias gradients once for the whole minibatch (one GEMM with K = the batch)
/// instead of once per shard followed by a sum of the shards' gradients.
/// </summary>
/// <remarks>
/// Per-shard gradients cost S × (in × out) values written and read back per step, whatever the shards' rows; copying
/// the rows costs (in + out) values per row, and the batch's product runs with K = batch rather than K = batch / S.
/// The step chooses between the two (<see cref="Training.ShardedStep{T}"/>).
/// </remarks>
internal sealed class DenseBatchRows<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <param name="inputs">The batch's layer inputs, or null when they are the minibatch's own rows (the first layer).</param>
    /// <param name="outputGradients">The batch's gradients with respect to the layer's output.</param>
    public DenseBatchRows(BatchBuffer<T>? inputs, BatchBuffer<T> outputGradients)
    {
        Inputs = inputs;
        OutputGradients = outputGradients;
    }

    public BatchBuffer<T>? Inputs { get; }

    public BatchBuffer<T> OutputGradients { get; }

    /// <summary>The rows of the whole minibatch; the buffers are grown to them before the shards run.</summary>
    public int BatchRows { get; set; }

    /// <summary>This shard's first row within the minibatch.</summary>
    public int FirstRow { get; set; }

    /// <summary>Copies a shard's input and output gradient to its rows of the batch.</summary>
    public void Store(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient)
    {
        if (Inputs is not null)
        {
            input.CopyTo(Inputs.Rows(BatchRows).Slice(FirstRow, input.Rows));
        }

        outputGradient.CopyTo(OutputGradients.Rows(BatchRows).Slice(FirstRow, outputGradient.Rows));
    }
}
