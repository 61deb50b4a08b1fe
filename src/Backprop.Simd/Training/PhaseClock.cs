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
