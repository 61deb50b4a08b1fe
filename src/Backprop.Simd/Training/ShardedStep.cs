using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Numerics.Threading;

namespace Backprop.Simd.Training;

/// <summary>
/// The forward and backward passes of one minibatch, split into a fixed number of shards of consecutive rows. Shard 0
/// runs on the network's own layers (its gradients are the network's), shards 1..S−1 on replicas with their own buffers
/// and gradients, which the reduction then adds. Where that moves more data than it saves, the dense layers instead
/// leave their rows of x and dy in batch-wide buffers and their weight and bias gradients are computed once for the
/// whole minibatch after the shards (a GEMM splits C, never K, so this is the same bits on any number of threads). With
/// one shard, the layers' matrix products use the threads instead.
/// </summary>
internal sealed class ShardedStep<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LayerStack<T>[] _stacks;
    private readonly int[] _denseLayers;
    private readonly DenseBatchRows<T>[,] _batchRows;
    private readonly bool _denseOnly;
    private readonly long _copiedPerRow;
    private readonly long _denseParameters;
    private readonly double[] _lossSums;
    private readonly int _inputs;
    private readonly int _outputs;
    private Loss<T>? _loss;
    private T[] _x = [];
    private int _xOffset;
    private T[] _y = [];
    private int _yOffset;
    private int _rows;
    private T _scale;
    private ulong _key;
    private Matrix<T>? _sourceInputs;
    private Matrix<T>? _sourceTargets;
    private int[] _order = [];
    private int _orderStart;

    public ShardedStep(Network<T> network, int shards)
    {
        _stacks = new LayerStack<T>[shards];
        _stacks[0] = network.Stack;
        for (int s = 1; s < shards; s++)
        {
            _stacks[s] = network.CreateReplica();
            _stacks[s].MaxDegreeOfParallelism = 1;
        }

        _lossSums = new double[shards];
        _inputs = network.InputSize;
        _outputs = network.OutputSize;
        ShardGradients = [.. _stacks.Select(s => s.Gradients)];
        Layer<T>[] layers = network.Stack.Layers;
        _denseLayers = [.. Enumerable.Range(0, layers.Length).Where(i => layers[i] is Dense<T>)];
        _denseOnly = layers.All(l => l is Dense<T> || l.Parameters.Count == 0);
        foreach (int i in _denseLayers)
        {
            _copiedPerRow += (i == 0 ? 0 : layers[i].InputSize) + layers[i].OutputSize;
            _denseParameters += (long)(layers[i].InputSize + 1) * layers[i].OutputSize;
        }

        _batchRows = new DenseBatchRows<T>[shards, _denseLayers.Length];
        for (int d = 0; d < _denseLayers.Length; d++)
        {
            Layer<T> dense = layers[_denseLayers[d]];
            BatchBuffer<T>? inputs = _denseLayers[d] == 0 ? null : new BatchBuffer<T>(dense.InputSize);
            var outputGradients = new BatchBuffer<T>(dense.OutputSize);
            for (int s = 0; s < shards; s++)
            {
                _batchRows[s, d] = new DenseBatchRows<T>(inputs, outputGradients);
            }
        }
    }

    /// <summary>Each shard's gradient block; block 0 is the network's.</summary>
    public T[][] ShardGradients { get; }

    /// <summary>Computes the gradients of <paramref name="rows"/> rows (x and y row-major at the offsets) and returns the sum of the per-sample losses.</summary>
    public double Run(T[] x, int xOffset, T[] y, int yOffset, int rows, Loss<T> loss, T gradientScale, ulong key, int threads) =>
        RunShards(x, xOffset, y, yOffset, rows, loss, gradientScale, key, threads);

    /// <summary>
    /// As <see cref="Run"/> for rows <c>order[orderStart ..]</c> of <paramref name="inputs"/> and <paramref name="targets"/>:
    /// each shard first copies its own rows into <paramref name="x"/> and <paramref name="y"/> (from offset 0), so the
    /// gather of a shuffled minibatch runs in parallel and on the thread that then reads those rows.
    /// </summary>
    public double RunGathered(Matrix<T> inputs, Matrix<T> targets, int[] order, int orderStart, T[] x, T[] y, int rows, Loss<T> loss, T gradientScale, ulong key, int threads)
    {
        (_sourceInputs, _sourceTargets, _order, _orderStart) = (inputs, targets, order, orderStart);
        try
        {
            return RunShards(x, 0, y, 0, rows, loss, gradientScale, key, threads);
        }
        finally
        {
            // Outside a gathered run the sources are null, so Run's shards read x and y as given.
            _sourceInputs = null;
            _sourceTargets = null;
        }
    }

    private double RunShards(T[] x, int xOffset, T[] y, int yOffset, int rows, Loss<T> loss, T gradientScale, ulong key, int threads)
    {
        (_x, _xOffset, _y, _yOffset, _rows, _loss, _scale, _key) = (x, xOffset, y, yOffset, rows, loss, gradientScale, key);
        int shards = ActiveShards(rows);
        _stacks[0].MaxDegreeOfParallelism = shards == 1 ? threads : 1;
        bool batchGradients = UsesBatchGradients(shards, rows);
        SeparateGradients = batchGradients ? 1 : shards;
        AssignBatchRows(shards, rows, batchGradients);
        try
        {
            WorkerPool.Shared.Run(this, shards, threads);
            if (batchGradients)
            {
                ComputeDenseGradients(rows, threads);
            }
        }
        finally
        {
            // The network's own layers go back to accumulating: they are the model outside training steps too.
            foreach (int layer in _denseLayers)
            {
                ((Dense<T>)_stacks[0].Layers[layer]).BatchRows = null;
            }
        }

        double sum = 0;
        for (int s = 0; s < shards; s++)
        {
            sum += _lossSums[s];
        }

        return sum;
    }

    /// <summary>The shard gradient blocks the last step left for the reduction to add: 1 when it computed the dense layers' gradients for the whole batch.</summary>
    public int SeparateGradients { get; private set; }

    /// <summary>
    /// Whether the dense layers' gradients are computed once for the batch: when no other layer has parameters and the
    /// shards' own gradients (each shard writes a whole one, the reduction reads it back) outweigh the rows of x and dy
    /// to copy more than 6 to 1; below that the per-shard products, on rows still in cache, win or tie. A function of
    /// the shapes, the rows and the shard count, never of the threads. Interleaved 784-256-128-10 epochs, batch 128:
    /// 2 shards (4.7 to 1) even, 4 shards (9.4 to 1) 18 % faster, 8 shards 55 %, 16 shards 2×; the notebook's deep
    /// recipe (2,380 rows; 2.2 to 1 at 16 shards) even at 16 shards and 6–12 % slower at 2, so it stays per shard.
    /// </summary>
    private bool UsesBatchGradients(int shards, int rows) =>
        shards > 1 && _denseOnly && shards * _denseParameters > 6L * rows * _copiedPerRow;

    /// <summary>
    /// Points each shard's dense layers at their rows of the batch-wide buffers (grown here, before the shards run, so
    /// that they never reallocate under them), or back to their own gradients.
    /// </summary>
    private void AssignBatchRows(int shards, int rows, bool batchGradients)
    {
        for (int d = 0; d < _denseLayers.Length; d++)
        {
            for (int s = 0; s < shards; s++)
            {
                DenseBatchRows<T> batchRows = _batchRows[s, d];
                if (batchGradients)
                {
                    batchRows.Inputs?.Rows(rows);
                    batchRows.OutputGradients.Rows(rows);
                    batchRows.BatchRows = rows;
                    batchRows.FirstRow = (int)((long)s * rows / shards);
                }

                ((Dense<T>)_stacks[s].Layers[_denseLayers[d]]).BatchRows = batchGradients ? batchRows : null;
            }
        }
    }

    /// <summary>Each dense layer's dW = xᵀ dy and db = Σ_rows dy over the whole minibatch, into the network's gradients.</summary>
    private void ComputeDenseGradients(int rows, int threads)
    {
        for (int d = 0; d < _denseLayers.Length; d++)
        {
            DenseBatchRows<T> batchRows = _batchRows[0, d];
            ReadOnlyMatrixSpan<T> x = batchRows.Inputs is { } inputs
                ? inputs.Rows(rows)
                : new ReadOnlyMatrixSpan<T>(_x.AsSpan(_xOffset, rows * _inputs), rows, _inputs);
            ((Dense<T>)_stacks[0].Layers[_denseLayers[d]]).AddParameterGradients(x, batchRows.OutputGradients.Rows(rows), replace: true, threads);
        }
    }

    /// <summary>Shards in use for a batch: never more than its rows.</summary>
    private int ActiveShards(int rows) => Math.Max(1, Math.Min(_stacks.Length, rows));

    public void Execute(int index)
    {
        int shards = ActiveShards(_rows);
        int first = (int)((long)index * _rows / shards);
        int count = (int)((long)(index + 1) * _rows / shards) - first;
        LayerStack<T> stack = _stacks[index];
        if (_sourceInputs is not null)
        {
            // x: (rows, inputs)  y: (rows, outputs), this shard's rows gathered from the sources in the minibatch's order.
            for (int r = first; r < first + count; r++)
            {
                int source = _order[_orderStart + r];
                _sourceInputs.Row(source).CopyTo(_x.AsSpan(_xOffset + (r * _inputs), _inputs));
                _sourceTargets!.Row(source).CopyTo(_y.AsSpan(_yOffset + (r * _outputs), _outputs));
            }
        }

        var x = new ReadOnlyMatrixSpan<T>(_x.AsSpan(_xOffset + (first * _inputs), count * _inputs), count, _inputs);
        var y = new ReadOnlyMatrixSpan<T>(_y.AsSpan(_yOffset + (first * _outputs), count * _outputs), count, _outputs);
        _lossSums[index] = stack.ReplaceGradients(x, y, _loss!, _scale, StreamKey.Mix(_key, (ulong)index));
    }
}
