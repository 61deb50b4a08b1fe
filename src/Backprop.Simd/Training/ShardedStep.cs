using System.Diagnostics;
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
/// and gradients, which the reduction then adds. Where that moves more data than it saves, the layers instead leave
/// their rows of x and dy in batch-wide buffers and their parameter gradients are computed once for the whole
/// minibatch after the shards (a GEMM splits C, never K, so this is the same bits on any number of threads). With one
/// shard, the layers' matrix products use the threads instead. Which of these a batch gets is a <see cref="ShardPlan"/>,
/// computed once per shape; each shard's layers receive it through their <see cref="LayerContext{T}"/>.
/// </summary>
internal sealed class ShardedStep<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int CachedPlans = 4;

    private readonly LayerStack<T>[] _stacks;
    private readonly int[] _deferrable;
    private readonly GradientDeferral<T>? _deferral;
    private readonly long _copiedPerRow;
    private readonly long _deferrableParameters;
    private readonly ShardPlan?[] _plans = new ShardPlan?[CachedPlans];
    private readonly double[] _lossSums;
    private readonly long[] _shardTicks;
    private readonly PhaseClock _clock;
    private readonly int _inputs;
    private readonly int _outputs;
    private int _nextPlan;
    private ShardPlan _plan = new(0, 1, 1, false);
    private Loss<T>? _loss;
    private T[] _x = [];
    private int _xOffset;
    private T[] _y = [];
    private int _yOffset;
    private T _scale;
    private ulong _key;
    private Matrix<T>? _sourceInputs;
    private Matrix<T>? _sourceTargets;
    private int[] _order = [];
    private int _orderStart;

    public ShardedStep(Network<T> network, int shards, PhaseClock? clock = null)
    {
        _clock = clock ?? new PhaseClock();
        _shardTicks = new long[shards];
        _stacks = new LayerStack<T>[shards];
        _stacks[0] = network.Stack;
        for (int s = 1; s < shards; s++)
        {
            _stacks[s] = network.CreateReplica();
        }

        _lossSums = new double[shards];
        _inputs = network.InputSize;
        _outputs = network.OutputSize;
        ShardGradients = [.. _stacks.Select(s => s.Gradients)];

        // The layers with parameters; their gradients can go batch-wide only if every one of them can defer.
        Layer<T>[] layers = network.Stack.Layers;
        _deferrable = [.. Enumerable.Range(0, layers.Length).Where(i => layers[i].Parameters.Count > 0)];
        if (_deferrable.All(i => layers[i].CanDeferParameterGradients))
        {
            foreach (int i in _deferrable)
            {
                _copiedPerRow += (i == 0 ? 0 : layers[i].InputSize) + layers[i].OutputSize;
                _deferrableParameters += layers[i].Parameters.Sum(p => (long)p.Length);
            }

            _deferral = new GradientDeferral<T>(layers, _deferrable.Contains);
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
        (_x, _xOffset, _y, _yOffset, _loss, _scale, _key) = (x, xOffset, y, yOffset, loss, gradientScale, key);
        _plan = PlanFor(rows, threads);
        long start = Stopwatch.GetTimestamp();
        WorkerPool.Shared.Run(this, _plan.Shards, threads);
        if (_plan.BatchGradients)
        {
            ComputeDeferredGradients(threads);
        }

        double sum = 0;
        long busiest = 0;
        for (int s = 0; s < _plan.Shards; s++)
        {
            sum += _lossSums[s];
            busiest = Math.Max(busiest, _shardTicks[s]);
        }

        _clock.AddShards(Stopwatch.GetTimestamp() - start, busiest);

        return sum;
    }

    /// <summary>The shard gradient blocks the last step left for the reduction to add: 1 when it computed the parameter gradients for the whole batch.</summary>
    public int SeparateGradients => _plan.SeparateGradients;

    /// <summary>The plan of a batch of <paramref name="rows"/> rows on <paramref name="threads"/> threads: a cached one, or a new one (its batch-wide buffers grown now, before any shard runs).</summary>
    internal ShardPlan PlanFor(int rows, int threads)
    {
        foreach (ShardPlan? cached in _plans)
        {
            if (cached is not null && cached.Rows == rows && cached.Threads == threads)
            {
                return cached;
            }
        }

        int shards = Math.Max(1, Math.Min(_stacks.Length, rows));
        var plan = new ShardPlan(rows, shards, threads, UsesBatchGradients(shards, rows));
        if (plan.BatchGradients)
        {
            _deferral!.Reserve(rows);
        }

        _plans[_nextPlan] = plan;
        _nextPlan = (_nextPlan + 1) % CachedPlans;
        return plan;
    }

    /// <summary>
    /// Whether the parameter gradients are computed once for the batch: when every layer with parameters can defer and
    /// the shards' own gradients (each shard writes a whole one, the reduction reads it back) outweigh the rows of x
    /// and dy to copy more than 6 to 1; below that the per-shard products, on rows still in cache, win or tie (the
    /// measurements behind the threshold are in docs/benchmarks.md). A function of the shapes, the rows and the shard
    /// count, never of the threads.
    /// </summary>
    private bool UsesBatchGradients(int shards, int rows) =>
        shards > 1 && _deferral is not null && shards * _deferrableParameters > 6L * rows * _copiedPerRow;

    /// <summary>Each deferring layer's parameter gradients over the whole minibatch, into the network's gradients, by the layer's own method.</summary>
    private void ComputeDeferredGradients(int threads)
    {
        int rows = _plan.Rows;
        var minibatch = new ReadOnlyMatrixSpan<T>(_x.AsSpan(_xOffset, rows * _inputs), rows, _inputs);
        foreach (int i in _deferrable)
        {
            _stacks[0].Layers[i].ComputeParameterGradients(_deferral!.Inputs(i, rows, minibatch), _deferral.OutputGradients(i, rows), overwrite: true, threads);
        }
    }

    public void Execute(int index)
    {
        long start = Stopwatch.GetTimestamp();
        ShardPlan plan = _plan;
        int first = plan.FirstRow(index);
        int count = plan.FirstRow(index + 1) - first;
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
        ulong key = StreamKey.Mix(_key, (ulong)index);
        LayerContext<T> context = plan.BatchGradients
            ? LayerContext<T>.Deferring(key, plan.ThreadsPerShard, _deferral!, plan.Rows, first)
            : LayerContext<T>.Training(key, plan.ThreadsPerShard, ParameterGradientMode.Overwrite, computeInputGradient: false);
        _lossSums[index] = stack.ComputeGradients(x, y, _loss!, _scale, context);
        _shardTicks[index] = Stopwatch.GetTimestamp() - start;
    }
}
