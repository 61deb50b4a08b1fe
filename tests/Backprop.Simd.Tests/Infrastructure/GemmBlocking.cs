using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>
/// The block sizes of each GEMM kernel path, read from the kernels themselves so that the edge tests follow any
/// retuning. The one place the tests reach into the kernels' internals: if these names change, change them here.
/// </summary>
internal readonly record struct GemmBlocking(int Mr, int Nr, int Kc, int Mc, int Nc)
{
    public static GemmBlocking For<T>(GemmKernelKind kind)
        where T : unmanaged, IFloatingPointIeee754<T> => kind switch
        {
            GemmKernelKind.Vector512 => new(Vector512Kernel<T>.Mr, Vector512Kernel<T>.Nr, Vector512Kernel<T>.Kc, Vector512Kernel<T>.Mc, Vector512Kernel<T>.Nc),
            GemmKernelKind.Vector256 => new(Vector256Kernel<T>.Mr, Vector256Kernel<T>.Nr, Vector256Kernel<T>.Kc, Vector256Kernel<T>.Mc, Vector256Kernel<T>.Nc),
            GemmKernelKind.Vector128 => new(Vector128Kernel<T>.Mr, Vector128Kernel<T>.Nr, Vector128Kernel<T>.Kc, Vector128Kernel<T>.Mc, Vector128Kernel<T>.Nc),
            _ => new(ScalarKernel<T>.Mr, ScalarKernel<T>.Nr, ScalarKernel<T>.Kc, ScalarKernel<T>.Mc, ScalarKernel<T>.Nc),
        };

    /// <summary>The path the public API uses in this process.</summary>
    public static GemmKernelKind Native => GemmKernelSelector.Default;

    /// <summary>Whether the engine computes an m x n product as Cᵀ (its skinny-N rewrite) on this path.</summary>
    public bool IsSwapped<T>(int m, int n)
        where T : unmanaged, IFloatingPointIeee754<T> => GemmEngine<T>.ShouldSwap(m, n, Mr, Nr);

    /// <summary>Multiply-adds below which one GEMM stays on one thread whatever the requested parallelism.</summary>
    public static long MinWorkPerThread<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => GemmEngine<T>.MinWorkPerThread;

    /// <summary>
    /// The number of blocks of C the engine plans for an m x n x k product on this path when asked for
    /// <paramref name="threads"/> threads (after its Cᵀ rewrite): the premise of the thread-count determinism tests,
    /// which are only meaningful when this equals the requested count.
    /// </summary>
    public int PlannedPartitions<T>(int m, int n, int k, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsSwapped<T>(m, n))
        {
            (m, n) = (n, m);
        }

        (int tm, int tn) = GemmEngine<T>.Plan(m, n, k, Mr, Nr, threads);
        return tm * tn;
    }
}
