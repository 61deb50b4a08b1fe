namespace Backprop.Simd.Training;

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
