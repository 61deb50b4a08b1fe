using System.Numerics;
using Backprop.Simd.Numerics.Threading;

namespace Backprop.Simd.Numerics;

/// <summary>
/// Plans a GEMM (kernel, orientation, thread grid) and runs it. Threads split only M and N, never K, and every
/// thread uses the same K blocking, so each element of C is computed by one thread in one fixed order: the result
/// is bitwise identical for any thread count (docs/gemm.md, "Threads and determinism").
/// </summary>
internal static unsafe class GemmEngine<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Below this many multiply-adds per thread the hand-off (about 1 µs to a spinning worker, more to a sleeping one)
    /// and the duplicated packing outweigh the gain; 2^19 is about 5 µs of work on one core.
    /// </summary>
    internal const long MinWorkPerThread = 1L << 19;

    /// <summary>
    /// A single row streams B once from memory at a few multiply-adds per element, so its split is sized by B's
    /// elements: 2^16 of them (256 KB of float) outlast a hand-off, and each thread's share of B then fits its own L2.
    /// </summary>
    internal const long MinStreamPerThread = 1L << 16;

    /// <summary>Packing an element costs about as much as this many multiply-adds in the kernel.</summary>
    private const int PackCost = 8;

    [ThreadStatic]
    private static GemmJob? t_job;

    [ThreadStatic]
    private static RowBlockJob? t_rowJob;

    public static void Run(GemmProblem<T> problem, int threads, GemmKernelKind kind)
    {
        (int mr, int nr, _) = Blocking(kind);
        if (ShouldSwap(problem.M, problem.N, mr, nr))
        {
            problem = problem.Swapped();
        }

        (int tm, int tn) = Plan(problem.M, problem.N, problem.K, mr, nr, threads);
        if (tm * tn == 1)
        {
            GemmScratch scratch = GemmScratch.Pool.Rent();
            try
            {
                RunSlice(kind, problem, 0, problem.M, 0, problem.N, scratch);
            }
            finally
            {
                GemmScratch.Pool.Return(scratch);
            }

            return;
        }

        if (tm == 1 && IsRowPath(problem) && KBlocks(kind, problem.K) > 1)
        {
            RunRowByKBlocks(problem, kind, tn);
            return;
        }

        GemmJob job = t_job is { InUse: false } cached ? cached : (t_job = new GemmJob());
        job.Prepare(problem, kind, tm, tn, mr, nr);
        try
        {
            WorkerPool.Shared.Run(job, tm * tn, tm * tn);
        }
        finally
        {
            job.InUse = false;
        }
    }

    /// <summary>
    /// The thread grid of an m x n x k product (after any Cᵀ rewrite): no more threads than the work supports at
    /// <see cref="MinWorkPerThread"/> each; a single row splits only its columns.
    /// </summary>
    internal static (int Tm, int Tn) Plan(int m, int n, int k, int mr, int nr, int threads)
    {
        if (m == 1)
        {
            threads = (int)Math.Clamp((long)n * k / MinStreamPerThread, 1, threads);
            return (1, Math.Min(threads, (n + nr - 1) / nr));
        }

        threads = (int)Math.Clamp((long)m * n * k / MinWorkPerThread, 1, threads);
        return ChooseGrid(m, n, k, mr, nr, threads);
    }

    /// <summary>Whether the blocked driver computes this problem as one row of C with B read in place.</summary>
    internal static bool IsRowPath(in GemmProblem<T> problem) => problem.M == 1 && !problem.TransB && !problem.TransposedC;

    /// <summary>How many K blocks the kernel's blocking cuts K into (<see cref="BlockedGemm{T, TKernel}.BalancedKc"/> balances that many).</summary>
    internal static int KBlocks(GemmKernelKind kind, int k)
    {
        int kc = Blocking(kind).Kc;
        return (k + kc - 1) / kc;
    }

    /// <summary>
    /// A single row split by K blocks instead of columns: each block is one work item, so a thread streams whole,
    /// contiguous runs of B's rows (the same blocks on the same thread call after call, which keeps them in its L2)
    /// into the block's partial row, and the caller merges the partials into C in block order: exactly the merges the
    /// one-thread path performs, so the bits are the same. A column split would have each thread read half of every
    /// row of B, which defeats the prefetchers.
    /// </summary>
    private static void RunRowByKBlocks(in GemmProblem<T> problem, GemmKernelKind kind, int threads)
    {
        int blocks = KBlocks(kind, problem.K);
        int n = problem.N;
        GemmScratch scratch = GemmScratch.Pool.Rent();
        RowBlockJob job = t_rowJob is { InUse: false } cached ? cached : (t_rowJob = new RowBlockJob());
        try
        {
            T* partials = (T*)scratch.A.Get((nuint)blocks * (nuint)n * (nuint)sizeof(T));
            job.Prepare(problem, kind, partials);
            WorkerPool.Shared.Run(job, blocks, threads);
            for (int block = 0; block < blocks; block++)
            {
                TileMerge.Run(partials + ((nint)block * n), n, problem.C, problem.Ldc, false, 1, n, problem.Alpha, problem.Beta, block == 0);
            }
        }
        finally
        {
            job.InUse = false;
            GemmScratch.Pool.Return(scratch);
        }
    }

    /// <summary>The register tile and the K block of a kernel path.</summary>
    internal static (int Mr, int Nr, int Kc) Blocking(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => (Vector512Kernel<T>.Mr, Vector512Kernel<T>.Nr, Vector512Kernel<T>.Kc),
        GemmKernelKind.Vector256 => (Vector256Kernel<T>.Mr, Vector256Kernel<T>.Nr, Vector256Kernel<T>.Kc),
        GemmKernelKind.Vector128 => (Vector128Kernel<T>.Mr, Vector128Kernel<T>.Nr, Vector128Kernel<T>.Kc),
        _ => (ScalarKernel<T>.Mr, ScalarKernel<T>.Nr, ScalarKernel<T>.Kc),
    };

    /// <summary>
    /// A product with few columns (the 10-class output layer) wastes most of an NR-wide tile; computed as
    /// Cᵀ = op(B)ᵀ op(A)ᵀ the short side fills MR rows instead. Same operations per element, so same bits. The rewrite
    /// costs something too (the long operand packed with transposes, C written transposed) while the product as given
    /// reads a row-major A in place, so it pays only when the tiles' useful fraction at least doubles (float N = 10 on a
    /// 12 x 32 tile: 2.75x; double N = 10 on 12 x 16: 1.4x, not swapped).
    /// </summary>
    internal static bool ShouldSwap(int m, int n, int mr, int nr)
    {
        if (m == 1 || n == 1)
        {
            return false;
        }

        double normal = Efficiency(m, mr) * Efficiency(n, nr);
        double swapped = Efficiency(n, mr) * Efficiency(m, nr);
        return swapped > 2 * normal;
    }

    /// <summary>The thread grid tm x tn (tm * tn ≤ threads) with the least work on the busiest thread.</summary>
    internal static (int Tm, int Tn) ChooseGrid(int m, int n, int k, int mr, int nr, int threads)
    {
        int mBlocks = (m + mr - 1) / mr;
        int nBlocks = (n + nr - 1) / nr;
        (int, int) best = (1, 1);
        double bestCost = double.MaxValue;
        for (int t = threads; t >= 1; t--)
        {
            for (int tm = 1; tm <= t; tm++)
            {
                int tn = t / tm;
                if (tm * tn != t || tm > mBlocks || tn > nBlocks)
                {
                    continue;
                }

                long rows = (long)((mBlocks + tm - 1) / tm) * mr;
                long cols = (long)((nBlocks + tn - 1) / tn) * nr;
                double cost = (double)k * ((rows * cols) + (PackCost * (rows + cols)));
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = (tm, tn);
                }
            }

            if (bestCost < double.MaxValue)
            {
                break;
            }
        }

        return best;
    }

    internal static void RunSlice(GemmKernelKind kind, in GemmProblem<T> problem, int m0, int m1, int n0, int n1, GemmScratch scratch)
    {
        switch (kind)
        {
            case GemmKernelKind.Vector512:
                BlockedGemm<T, Vector512Kernel<T>>.Run(problem, m0, m1, n0, n1, scratch);
                break;
            case GemmKernelKind.Vector256:
                BlockedGemm<T, Vector256Kernel<T>>.Run(problem, m0, m1, n0, n1, scratch);
                break;
            case GemmKernelKind.Vector128:
                BlockedGemm<T, Vector128Kernel<T>>.Run(problem, m0, m1, n0, n1, scratch);
                break;
            default:
                BlockedGemm<T, ScalarKernel<T>>.Run(problem, m0, m1, n0, n1, scratch);
                break;
        }
    }

    /// <summary>The work items of a K-split single row: item b computes K block b of the whole row into its partial.</summary>
    private sealed class RowBlockJob : IParallelWork
    {
        private GemmProblem<T> _problem;
        private GemmKernelKind _kind;
        private T* _partials;

        public bool InUse { get; set; }

        public void Prepare(in GemmProblem<T> problem, GemmKernelKind kind, T* partials)
        {
            InUse = true;
            _problem = problem;
            _kind = kind;
            _partials = partials;
        }

        public void Execute(int index)
        {
            T* row = _partials + ((nint)index * _problem.N);
            switch (_kind)
            {
                case GemmKernelKind.Vector512:
                    BlockedGemm<T, Vector512Kernel<T>>.RowBlock(_problem, index, 0, _problem.N, row);
                    break;
                case GemmKernelKind.Vector256:
                    BlockedGemm<T, Vector256Kernel<T>>.RowBlock(_problem, index, 0, _problem.N, row);
                    break;
                case GemmKernelKind.Vector128:
                    BlockedGemm<T, Vector128Kernel<T>>.RowBlock(_problem, index, 0, _problem.N, row);
                    break;
                default:
                    BlockedGemm<T, ScalarKernel<T>>.RowBlock(_problem, index, 0, _problem.N, row);
                    break;
            }
        }
    }

    private static double Efficiency(int size, int tile) => (double)size / ((size + tile - 1) / tile * tile);

    /// <summary>The work items of a multithreaded GEMM: item t computes the t-th block of a tm x tn grid over C.</summary>
    private sealed class GemmJob : IParallelWork
    {
        private GemmProblem<T> _problem;
        private GemmKernelKind _kind;
        private int _tm;
        private int _tn;
        private int _mr;
        private int _nr;

        public bool InUse { get; set; }

        public void Prepare(in GemmProblem<T> problem, GemmKernelKind kind, int tm, int tn, int mr, int nr)
        {
            InUse = true;
            _problem = problem;
            _kind = kind;
            _tm = tm;
            _tn = tn;
            _mr = mr;
            _nr = nr;
        }

        public void Execute(int index)
        {
            (int m0, int m1) = Range(index / _tn, _tm, _problem.M, _mr);
            (int n0, int n1) = Range(index % _tn, _tn, _problem.N, _nr);
            if (m0 >= m1 || n0 >= n1)
            {
                return;
            }

            GemmScratch scratch = GemmScratch.Pool.Rent();
            try
            {
                RunSlice(_kind, _problem, m0, m1, n0, n1, scratch);
            }
            finally
            {
                GemmScratch.Pool.Return(scratch);
            }
        }

        /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of [0, size), cut at multiples of <paramref name="tile"/> and as even as possible.</summary>
        private static (int Start, int End) Range(int part, int parts, int size, int tile)
        {
            int blocks = (size + tile - 1) / tile;
            int start = (int)((long)part * blocks / parts) * tile;
            int end = (int)((long)(part + 1) * blocks / parts) * tile;
            return (Math.Min(start, size), Math.Min(end, size));
        }
    }
}
