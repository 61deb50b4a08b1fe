using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics.Threading;

namespace Backprop.Simd.Training;

/// <summary>
/// After the shards of a minibatch: adds shards 1..S−1 into shard 0's gradients (the network's own) in shard order
/// (when the shards computed gradients apart, see <see cref="ShardedStep{T}"/>),
/// adds the L1/L2 terms, and sums the penalty and the squared gradient norm. Runs in fixed chunks of parameters, on
/// any number of threads, with per-chunk partial sums added in chunk order: the same bits for any thread count.
/// </summary>
internal sealed class GradientReduction<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>16 K parameters: 64 KiB of floats per array, which stays in L2 between the passes over a chunk.</summary>
    public const int ChunkSize = 16 * 1024;

    private readonly T[] _parameters;
    private readonly T[] _gradients;
    private readonly T[][] _shardGradients;
    private readonly (int Start, int End)[] _regularized;
    private readonly double[] _squaredNorms;
    private readonly double[] _l1Sums;
    private readonly double[] _l2Sums;
    private int _shards;
    private T _l1;
    private T _l2;

    public GradientReduction(T[] parameters, T[] gradients, T[][] shardGradients, (int Start, int End)[] regularized)
    {
        _parameters = parameters;
        _gradients = gradients;
        _shardGradients = shardGradients;
        _regularized = regularized;
        int chunks = (parameters.Length + ChunkSize - 1) / ChunkSize;
        _squaredNorms = new double[chunks];
        _l1Sums = new double[chunks];
        _l2Sums = new double[chunks];
    }

    public int Chunks => _squaredNorms.Length;

    /// <summary>Reduces with <paramref name="shards"/> shards in use; returns the penalty and the gradient norm.</summary>
    public (double Penalty, double Norm) Run(int shards, double l1, double l2, int threads)
    {
        _shards = shards;
        _l1 = T.CreateTruncating(l1);
        _l2 = T.CreateTruncating(l2);
        WorkerPool.Shared.Run(this, Chunks, threads);
        double squared = 0, sumAbs = 0, sumSquares = 0;
        for (int c = 0; c < Chunks; c++)
        {
            squared += _squaredNorms[c];
            sumAbs += _l1Sums[c];
            sumSquares += _l2Sums[c];
        }

        return (Regularization.Penalty(l1, l2, sumAbs, sumSquares), Math.Sqrt(squared));
    }

    public void Execute(int index)
    {
        int start = index * ChunkSize;
        int length = Math.Min(ChunkSize, _parameters.Length - start);
        Span<T> g = _gradients.AsSpan(start, length);
        for (int s = 1; s < _shards; s++)
        {
            TensorPrimitives.Add(g, _shardGradients[s].AsSpan(start, length), g);
        }

        (double sumAbs, double sumSquares) = Regularization.AddTerms<T>(_parameters, _gradients, _regularized, start, length, _l1, _l2);
        _l1Sums[index] = sumAbs;
        _l2Sums[index] = sumSquares;
        _squaredNorms[index] = double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(g));
    }
}
