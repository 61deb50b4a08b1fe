using System.Diagnostics;
using System.Text.Json;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// <c>infer [--threads T] [--batch B] [--reps R] [--busy-cores N] [--runtime ours|onnx]</c>: 784-256-128-10 (ReLU,
/// float) inference, as in <see cref="InferenceBenchmarks"/>: single-sample latency (each call timed alone: median,
/// 90th and 99th percentile) and the median time of one B-sample batch; one JSON line. With <c>--busy-cores N</c>, N
/// threads of another process spin throughout (see <see cref="BusyCores"/>); <c>--runtime onnx</c> times the same
/// network in ONNX Runtime (see <see cref="OnnxRuntimePeer"/>).
/// </summary>
internal static class QuickInfer
{
    public static int Run(string[] args)
    {
        var options = CommandLine.Parse(args);
        int threads = options.GetInt("threads", 1);
        int batch = options.GetInt("batch", 10_000);
        int reps = options.GetInt("reps", 15);
        Network<float> network = Network<float>.Create(784, 1).Dense(256, Activation.Relu).Dense(128, Activation.Relu).Dense(10).Build();
        network.MaxDegreeOfParallelism = threads;
        (Matrix<float> inputs, _) = Workloads.SyntheticMnist<float>(batch);
        var outputs = new Matrix<float>(batch, 10);
        float[] sample = inputs.AsSpan()[..784].ToArray();
        var output = new float[10];
        string runtime = options.Get("runtime", "ours");
        using OnnxRuntimePeer? peer = runtime switch
        {
            "ours" => null,
            "onnx" => new OnnxRuntimePeer(network, sample, output, inputs.AsSpan().ToArray(), new float[batch * 10], threads),
            _ => throw new ArgumentException($"--runtime is 'ours' or 'onnx', not '{runtime}'."),
        };
        Action predictSample = peer is null ? () => network.Predict(sample, output) : peer.PredictSample;
        Action predictBatch = peer is null ? () => network.Predict(inputs, outputs) : peer.PredictBatch;

        using BusyCores busy = BusyCores.Start(options.GetInt("busy-cores", 0));
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < 1)
        {
            predictSample();
            predictBatch();
        }

        var single = new double[50_000];
        for (int i = 0; i < single.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            predictSample();
            single[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        var batches = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            long start = Stopwatch.GetTimestamp();
            predictBatch();
            batches[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        long before = GC.GetTotalAllocatedBytes(true);
        for (int i = 0; i < 100; i++)
        {
            predictSample();
            predictBatch();
        }

        long allocated = GC.GetTotalAllocatedBytes(true) - before;
        Array.Sort(single);
        Array.Sort(batches);
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["runtime"] = runtime,
            ["threads"] = threads,
            ["busy_cores"] = options.GetInt("busy-cores", 0),
            ["single_us_p50"] = Math.Round(single[single.Length / 2] * 1e6, 2),
            ["single_us_p90"] = Math.Round(single[single.Length * 9 / 10] * 1e6, 2),
            ["single_us_p99"] = Math.Round(single[single.Length * 99 / 100] * 1e6, 2),
            ["batch"] = batch,
            ["batch_ms_median"] = Math.Round(batches[reps / 2] * 1e3, 3),
            ["allocated_bytes"] = allocated,
        }));
        return 0;
    }
}
