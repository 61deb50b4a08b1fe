using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// <c>gemm --dtype f32|f64 --m M --n N --k K [--transa] [--transb] [--threads T] [--reps R]</c>: times one GEMM shape
/// and prints one JSON line, for scripts that compare against other libraries side by side.
/// </summary>
internal static class QuickGemm
{
    public static int Run(string[] args)
    {
        var options = CommandLine.Parse(args);
        string dtype = options.Get("dtype", "f32");
        int m = options.GetInt("m", 512);
        int n = options.GetInt("n", m);
        int k = options.GetInt("k", m);
        bool transA = options.Has("transa");
        bool transB = options.Has("transb");
        int threads = options.GetInt("threads", 1);
        int reps = options.GetInt("reps", 15);
        return dtype switch
        {
            "f32" => Measure<float>(dtype, m, n, k, transA, transB, threads, reps),
            "f64" => Measure<double>(dtype, m, n, k, transA, transB, threads, reps),
            _ => Usage($"--dtype must be f32 or f64, not '{dtype}'."),
        };
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine("usage: gemm --dtype f32|f64 --m M --n N --k K [--transa] [--transb] [--threads T] [--reps R]");
        return 2;
    }

    private static int Measure<T>(string dtype, int m, int n, int k, bool transA, bool transB, int threads, int reps)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(42);
        var a = new T[m * k];
        var b = new T[k * n];
        var c = new T[m * n];
        random.FillUniform<T>(a, -T.One, T.One);
        random.FillUniform<T>(b, -T.One, T.One);
        Transpose ta = transA ? Transpose.Transposed : Transpose.None;
        Transpose tb = transB ? Transpose.Transposed : Transpose.None;
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        void Call() => Gemm.Multiply(ta, tb, m, n, k, T.One, a, lda, b, ldb, T.Zero, c, n, threads);

        // Warm up past tiered compilation, and size the calls per timed sample to about 2 ms.
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (watch.Elapsed.TotalSeconds < 0.5 || calls < 5)
        {
            Call();
            calls++;
        }

        int inner = Math.Max(1, (int)(0.002 / (watch.Elapsed.TotalSeconds / calls)));
        var seconds = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++)
            {
                Call();
            }

            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds / inner;
        }

        // Allocation over a separate run of calls with nothing else in the loop (all threads: workers included).
        const int AllocationCalls = 20;
        long allocatedBefore = GC.GetTotalAllocatedBytes(true);
        for (int i = 0; i < AllocationCalls; i++)
        {
            Call();
        }

        long allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;

        // Each call timed alone: a mean over many calls hides a rare stall (a hand-off that misses a spinning worker).
        var single = new double[Math.Max(100, Math.Min(20_000, (int)(1.0 / seconds.Min())))];
        for (int i = 0; i < single.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Call();
            single[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(single);
        Array.Sort(seconds);
        double median = seconds[reps / 2];
        double flops = 2.0 * m * n * k;
        var result = new Dictionary<string, object>
        {
            ["dtype"] = dtype,
            ["m"] = m,
            ["n"] = n,
            ["k"] = k,
            ["transa"] = transA,
            ["transb"] = transB,
            ["threads"] = threads,
            ["kernel"] = Diagnostics.HardwareInfo.GemmPath,
            ["reps"] = reps,
            ["calls_per_rep"] = inner,
            ["seconds_median"] = median,
            ["gflops"] = Math.Round(flops / median / 1e9, 2),
            ["gflops_best"] = Math.Round(flops / seconds[0] / 1e9, 2),
            ["allocated_bytes_per_call"] = allocated / (double)AllocationCalls,
            ["single_call_p50"] = single[single.Length / 2],
            ["single_call_p90"] = single[single.Length * 9 / 10],
            ["single_call_p99"] = single[single.Length * 99 / 100],
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }
}
