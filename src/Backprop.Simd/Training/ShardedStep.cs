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
    public double Run(T[] x, int xOffset, T[] y, int yOffset, int rows, Loss<T> loss, T gradientScale, ulong key, int threads)
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
        Array.Clear(stack.Gradients);
        var x = new ReadOnlyMatrixSpan<T>(_x.AsSpan(_xOffset + (first * _inputs), count * _inputs), count, _inputs);
        var y = new ReadOnlyMatrixSpan<T>(_y.AsSpan(_yOffset + (first * _outputs), count * _outputs), count, _outputs);
        _lossSums[index] = stack.ComputeGradients(x, y, _loss!, _scale, StreamKey.Mix(_key, (ulong)index));
    }
}
