using System.Numerics;
using Backprop.Simd.Numerics.Threading;
using Backprop.Simd.Optimizers;

namespace Backprop.Simd.Training;

/// <summary>Applies an optimizer's element-wise update in fixed parameter chunks on the worker pool.</summary>
internal sealed class OptimizerStep<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _parameters;
    private readonly T[] _gradients;
    private readonly bool[] _finite;
    private Optimizer<T>? _optimizer;
    private double _learningRate;

    public OptimizerStep(T[] parameters, T[] gradients)
    {
        _parameters = parameters;
        _gradients = gradients;
        _finite = new bool[Chunks];
    }

    private int Chunks => (_parameters.Length + GradientReduction<T>.ChunkSize - 1) / GradientReduction<T>.ChunkSize;

    /// <summary>Updates every chunk; returns whether all updated parameters are finite.</summary>
    public bool Run(Optimizer<T> optimizer, double learningRate, int threads)
    {
        Optimizer<T>.CheckStepLearningRate(learningRate);
        _optimizer = optimizer;
        _learningRate = learningRate;
        optimizer.BeginStep(_parameters.Length);
        WorkerPool.Shared.Run(this, Chunks, threads);
        return !_finite.AsSpan().Contains(false);
    }

    public void Execute(int index)
    {
        int start = index * GradientReduction<T>.ChunkSize;
        int length = Math.Min(GradientReduction<T>.ChunkSize, _parameters.Length - start);
        _finite[index] = _optimizer!.UpdateRange(_parameters.AsSpan(start, length), _gradients.AsSpan(start, length), start, _parameters.Length, _learningRate);
    }
}
