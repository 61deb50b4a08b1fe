using BenchmarkDotNet.Attributes;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// Inference of 784-256-128-10 (ReLU) in float on 1 and 2 threads: single-sample latency through the span overload
/// (on 2 threads the 784 x 256 layer is split by K blocks) and a 10,000-sample batch (one row range per thread).
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private readonly float[] _sample = new float[784];
    private readonly float[] _output = new float[10];
    private Network<float> _network = null!;
    private Matrix<float> _batch = null!;
    private Matrix<float> _batchOutput = null!;

    /// <summary>The network's MaxDegreeOfParallelism, for the single sample and the batch.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>A network with random weights and 10,000 random inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _network = Network<float>.Create(784, 1).Dense(256, Activation.Relu).Dense(128, Activation.Relu).Dense(10).Build();
        _network.MaxDegreeOfParallelism = Threads;
        (_batch, _) = Workloads.SyntheticMnist<float>(10_000);
        _batchOutput = new Matrix<float>(10_000, 10);
        _batch.AsSpan()[..784].CopyTo(_sample);
    }

    /// <summary>One sample: features in, scores out, nothing allocated.</summary>
    [Benchmark]
    public void SingleSample() => _network.Predict(_sample, _output);

    /// <summary>10,000 samples in one call.</summary>
    [Benchmark]
    public void Batch10000() => _network.Predict(_batch, _batchOutput);
}
