using BenchmarkDotNet.Attributes;
using Backprop.Simd.Numerics;
using Backprop.Simd.Training;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// One training step (batch 128) and one epoch (60,000 samples) of 784-256-128-10 in float, and one epoch of the
/// notebook's deep recipe (59,500 samples, 25 batches) in float and double, on 1 and 2 threads. MemoryDiagnoser
/// shows the 0 B per step.
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private Trainer<float> _mlp = null!;
    private Trainer<float> _deep32 = null!;
    private Trainer<double> _deep64 = null!;
    private Matrix<float> _x32 = null!;
    private Matrix<float> _y32 = null!;
    private Matrix<double> _x64 = null!;
    private Matrix<double> _y64 = null!;
    private Matrix<float> _x32Notebook = null!;
    private Matrix<float> _y32Notebook = null!;
    private Matrix<float> _batchX = null!;
    private Matrix<float> _batchY = null!;

    /// <summary>Worker threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Data and trainers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_x32, _y32) = Workloads.SyntheticMnist<float>(60_000);
        (_x64, _y64) = Workloads.SyntheticMnist<double>(59_500);
        _x32Notebook = _x32.GetRows(0, 59_500);
        _y32Notebook = _y32.GetRows(0, 59_500);
        _batchX = _x32.GetRows(0, 128);
        _batchY = _y32.GetRows(0, 128);
        _mlp = Workloads.Mlp<float>(Threads);
        _deep32 = Workloads.Notebook<float>([250, 50, 10], Threads);
        _deep64 = Workloads.Notebook<double>([250, 50, 10], Threads);
    }

    /// <summary>One minibatch of 128: forward, backward, reduction, SGD momentum update.</summary>
    [Benchmark]
    public double MlpStep() => _mlp.TrainStep(_batchX, _batchY);

    /// <summary>One epoch of 784-256-128-10 on 60,000 samples, batch 128, shuffled.</summary>
    [Benchmark]
    public TrainingHistory MlpEpoch() => _mlp.Fit(_x32, _y32);

    /// <summary>One epoch of the notebook's deep recipe in float.</summary>
    [Benchmark]
    public TrainingHistory NotebookDeepFloat() => _deep32.Fit(_x32Notebook, _y32Notebook);

    /// <summary>One epoch of the notebook's deep recipe in double.</summary>
    [Benchmark]
    public TrainingHistory NotebookDeepDouble() => _deep64.Fit(_x64, _y64);
}
