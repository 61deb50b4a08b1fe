using System.Numerics;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Numerics.Threading;

namespace Backprop.Simd.Training;

/// <summary>
/// The forward and backward passes of one minibatch, split into a fixed number of shards of consecutive rows. Shard 0
/// runs on the network's own layers (its gradients are the network's), shards 1..S−1 on replicas with their own buffers
/// and gradients. With one shard, the layers' matrix products use the threads instead.
/// </summary>
internal sealed class ShardedStep<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LayerStack<T>[] _stacks;
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
    }

    public int Shards => _stacks.Length;

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
        WorkerPool.Shared.Run(this, shards, threads);
        double sum = 0;
        for (int s = 0; s < shards; s++)
        {
            sum += _lossSums[s];
        }

        return sum;
    }

    /// <summary>Shards in use for a batch: never more than its rows.</summary>
    public int ActiveShards(int rows) => Math.Max(1, Math.Min(_stacks.Length, rows));

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
