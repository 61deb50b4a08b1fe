using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// <c>kernel [--kc KC]</c>: the micro-kernel alone on L1-resident packed panels, in GFLOP/s, for float and double:
/// the ceiling the blocked GEMM can approach on this machine.
/// </summary>
internal static unsafe class QuickKernel
{
    public static int Run(string[] args)
    {
        int kc = CommandLine.Parse(args).GetInt("kc", 256);
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["kernel"] = Diagnostics.HardwareInfo.GemmPath,
            ["kc"] = kc,
            ["f32_gflops"] = Math.Round(Measure<float>(kc), 1),
            ["f64_gflops"] = Math.Round(Measure<double>(kc), 1),
        }));
        return 0;
    }

    private static double Measure<T>(int kc)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        return GemmKernelSelector.Default switch
        {
            GemmKernelKind.Vector512 => Measure<T, Vector512Kernel<T>>(kc),
            GemmKernelKind.Vector256 => Measure<T, Vector256Kernel<T>>(kc),
            GemmKernelKind.Vector128 => Measure<T, Vector128Kernel<T>>(kc),
            _ => Measure<T, ScalarKernel<T>>(kc),
        };
    }

    private static double Measure<T, TKernel>(int kc)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where TKernel : IGemmKernel<T>
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        T* a = (T*)NativeMemory.AlignedAlloc((nuint)(kc * mr * sizeof(T)), 64);
        T* b = (T*)NativeMemory.AlignedAlloc((nuint)(kc * nr * sizeof(T)), 64);
        T* tile = (T*)NativeMemory.AlignedAlloc((nuint)(mr * nr * sizeof(T)), 64);
        for (int i = 0; i < kc * mr; i++)
        {
            a[i] = T.CreateTruncating(0.001 * (i % 7));
        }

        for (int i = 0; i < kc * nr; i++)
        {
            b[i] = T.CreateTruncating(0.001 * (i % 5));
        }

        const int Calls = 20_000;
        double best = double.MaxValue;
        for (int rep = 0; rep < 12; rep++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < Calls; i++)
            {
                TKernel.Run<PackedARows, FullTile>(kc, a, 0, b, nr, tile);
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        NativeMemory.AlignedFree(a);
        NativeMemory.AlignedFree(b);
        NativeMemory.AlignedFree(tile);
        return 2.0 * mr * nr * kc * Calls / best / 1e9;
    }
}
