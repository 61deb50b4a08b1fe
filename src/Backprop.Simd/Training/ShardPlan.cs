using Backprop.Simd.Layers;

namespace Backprop.Simd.Training;

/// <summary>
/// How a minibatch of one shape runs, computed once per (rows, threads) and reused by every step of that shape: the
/// shards in use and their rows, the threads each shard's matrix products get, and how the shards produce their
/// parameter gradients (each its own, overwritten, or deferred to one batch-wide product after the shards).
/// </summary>
internal sealed class ShardPlan
{
    public ShardPlan(int rows, int shards, int threads, bool batchGradients)
    {
        Rows = rows;
        Shards = shards;
        Threads = threads;
        BatchGradients = batchGradients;
    }

    /// <summary>The minibatch's rows.</summary>
    public int Rows { get; }

    /// <summary>The shards in use: never more than the rows.</summary>
    public int Shards { get; }

    /// <summary>The threads of the step.</summary>
    public int Threads { get; }

    /// <summary>Whether the shards defer their parameter gradients to one product over the whole minibatch.</summary>
    public bool BatchGradients { get; }

    /// <summary>The threads of each shard's matrix products: all of them for a single shard, else one (the shards run in parallel).</summary>
    public int ThreadsPerShard => Shards == 1 ? Threads : 1;

    /// <summary>How the shards produce their parameter gradients.</summary>
    public ParameterGradientMode GradientMode => BatchGradients ? ParameterGradientMode.Defer : ParameterGradientMode.Overwrite;

    /// <summary>The shard gradient blocks that the reduction adds: 1 when the gradients were computed for the whole batch.</summary>
    public int SeparateGradients => BatchGradients ? 1 : Shards;

    /// <summary>The first row of shard <paramref name="shard"/>; with <c>shard + 1</c>, the end of its rows.</summary>
    public int FirstRow(int shard) => (int)((long)shard * Rows / Shards);
}
