using System.Diagnostics;

namespace Backprop.Simd.Training;

/// <summary>
/// The wall-clock time a trainer's steps spent in each phase, summed since the trainer was made: a few timestamps a
/// step, read by the benchmarks' <c>train</c> entry to show where a second thread loses time (docs/benchmarks.md).
/// </summary>
internal sealed class PhaseClock
{
    private long _shards;
    private long _busiestShard;
    private long _reduction;
    private long _update;

    /// <summary>The phases so far, in seconds.</summary>
    public TrainingPhases Read() => new(Seconds(_shards), Seconds(_busiestShard), Seconds(_reduction), Seconds(_update));

    /// <summary>One step's shard phase and the longest time one shard of it took (Stopwatch ticks).</summary>
    public void AddShards(long wall, long busiestShard)
    {
        _shards += wall;
        _busiestShard += busiestShard;
    }

    /// <summary>One step's gradient reduction (Stopwatch ticks).</summary>
    public void AddReduction(long ticks) => _reduction += ticks;

    /// <summary>One step's optimizer update (Stopwatch ticks).</summary>
    public void AddUpdate(long ticks) => _update += ticks;

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}

/// <summary>Where a trainer's steps spent their time, in seconds.</summary>
/// <param name="Shards">Forward, loss and backward of the minibatches (the shards in parallel, then any batch-wide parameter products): from handing the shards out to the last one's end.</param>
/// <param name="BusiestShard">Within <paramref name="Shards"/>, the work of each step's slowest shard; the rest is hand-offs, waiting for the slower shard, and batch-wide products.</param>
/// <param name="Reduction">Adding the shards' gradients, the L1/L2 terms and the norms.</param>
/// <param name="Update">The optimizer's update.</param>
internal readonly record struct TrainingPhases(double Shards, double BusiestShard, double Reduction, double Update)
{
    /// <summary>The time between two readings.</summary>
    public static TrainingPhases operator -(TrainingPhases later, TrainingPhases earlier) =>
        new(later.Shards - earlier.Shards, later.BusiestShard - earlier.BusiestShard, later.Reduction - earlier.Reduction, later.Update - earlier.Update);
}
