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
    private Optimizer<T>? _optimizer;
    private double _learningRate;

    public OptimizerStep(T[] parameters, T[] gradients)
    {
        _parameters = parameters;
        _gradients = gradients;
    }

    public void Run(Optimizer<T> optimizer, double learningRate, int threads)
    {
        Optimizer<T>.CheckStepLearningRate(learningRate);
        _optimizer = optimizer;
        _learningRate = learningRate;
        optimizer.BeginStep(_parameters.Length);
        WorkerPool.Shared.Run(this, (_parameters.Length + GradientReduction<T>.ChunkSize - 1) / GradientReduction<T>.ChunkSize, threads);
    }

    public void Execute(int index)
    {
        int start = index * GradientReduction<T>.ChunkSize;
        int length = Math.Min(GradientReduction<T>.ChunkSize, _parameters.Length - start);
        _optimizer!.Update(_parameters.AsSpan(start, length), _gradients.AsSpan(start, length), start, _parameters.Length, _learningRate);
    }
}
