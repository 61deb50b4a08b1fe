using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.Simd.Numerics;

/// <summary>
/// The BLIS five loops around a micro-kernel (docs/gemm.md), over one thread's slice of C:
/// JC over N by NC → PC over K by KC (pack B) → IC over M by MC (pack A) → JR by NR → IR by MR → kernel, merge.
/// </summary>
internal static unsafe class BlockedGemm<T, TKernel>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : IGemmKernel<T>
{
    /// <summary>Row strides that are multiples of this many bytes map a panel's rows onto the same L1 sets.</summary>
    private const int AliasingStride = 4096;

    /// <summary>The K blocking: blocks of equal depth (the last no sliver), a function of K and the kernel only, so
    /// every element is summed in the same order whatever the thread split.</summary>
    public static int BalancedKc(int k)
    {
        int blocks = (k + TKernel.Kc - 1) / TKernel.Kc;
        return (k + blocks - 1) / blocks;
    }

    /// <summary>Computes rows [m0, m1) and columns [n0, n1) of C.</summary>
    public static void Run(in GemmProblem<T> problem, int m0, int m1, int n0, int n1, GemmScratch scratch)
    {
        if (GemmEngine<T>.IsRowPath(problem))
        {
            RunRow(problem, n0, n1, scratch);
            return;
        }

        int mr = TKernel.Mr;
        int nr = TKernel.Nr;
        int kcMax = BalancedKc(problem.K);
        int mcMax = Math.Min(TKernel.Mc, RoundUp(m1 - m0, mr));
        int ncMax = Math.Min(TKernel.Nc, RoundUp(n1 - n0, nr));
        T* packedA = (T*)scratch.A.Get((nuint)(mcMax * kcMax * sizeof(T)));
        T* packedB = (T*)scratch.B.Get((nuint)(ncMax * kcMax * sizeof(T)));
        T* tile = (T*)scratch.Tile.Get((nuint)(mr * nr * sizeof(T)));

        // A is read in place, whole MR-row panels of it, because a packed block serves only N / NR panels: a row-major
        // op(A) as MR k-contiguous rows, a transposed A (dW = Xᵀ dY) as MR contiguous values per k, lda apart. An A whose
        // rows lie a multiple of 4 KiB apart is packed, since its rows (or its k steps) would share the same L1 sets.
        bool directA = problem.Lda * sizeof(T) % AliasingStride != 0;

        // A row-major op(B) is read in place too, full NR-column panels of it, when this slice of C has at most MC rows:
        // each panel then serves at most MC / MR tiles, too few to repay a pack of the whole block (rows 4 KiB apart are
        // no obstacle here: the kernel reads one row of B per step, not MR rows at once).
        bool directB = !problem.TransB && m1 - m0 <= TKernel.Mc;

        for (int jc = n0; jc < n1; jc += TKernel.Nc)
        {
            int nc = Math.Min(TKernel.Nc, n1 - jc);
            for (int pc = 0; pc < problem.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, problem.K - pc);
                bool firstBlock = pc == 0;
                int fullB = directB ? nc / nr * nr : 0;
                if (fullB < nc)
                {
                    Packing.PackB(problem, pc, kc, jc + fullB, nc - fullB, nr, packedB + ((nint)fullB * kc));
                }

                for (int ic = m0; ic < m1; ic += TKernel.Mc)
                {
                    int mc = Math.Min(TKernel.Mc, m1 - ic);
                    int direct = directA ? mc / mr * mr : 0;
                    if (direct < mc)
                    {
                        Packing.PackA(problem, ic + direct, mc - direct, pc, kc, mr, packedA);
                    }

                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        T* panelB = jr < fullB ? problem.BAt(pc, jc + jr) : packedB + ((nint)jr * kc);
                        nint ldb = jr < fullB ? problem.Ldb : nr;
                        int cols = Math.Min(nr, nc - jr);
                        // A last panel of at most one vector's columns (double N = 50 leaves 2 of 16) runs the
                        // one-vector tile rather than a whole tile of zeros.
                        bool firstVectorOnly = 2 * cols <= nr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            if (ir < direct && problem.TransA)
                            {
                                RunTile<TransposedARows>(kc, problem.AAt(ic + ir, pc), problem.Lda, panelB, ldb, tile, firstVectorOnly);
                            }
                            else if (ir < direct)
                            {
                                RunTile<DirectARows>(kc, problem.AAt(ic + ir, pc), problem.Lda, panelB, ldb, tile, firstVectorOnly);
                            }
                            else
                            {
                                RunTile<PackedARows>(kc, packedA + ((nint)(ir - direct) * kc), 0, panelB, ldb, tile, firstVectorOnly);
                            }

                            int i = ic + ir;
                            int j = jc + jr;
                            T* c = problem.TransposedC ? problem.C + ((nint)j * problem.Ldc) + i : problem.C + ((nint)i * problem.Ldc) + j;
                            TileMerge.Run(tile, nr, c, problem.Ldc, problem.TransposedC, Math.Min(mr, mc - ir), cols, problem.Alpha, problem.Beta, firstBlock);
                        }
                    }
                }
            }
        }
    }

    /// <summary>One micro-kernel call, the tile width turned from a value into the type the kernel is specialised on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunTile<TRows>(nint kc, T* a, nint lda, T* b, nint ldb, T* tile, bool firstVectorOnly)
        where TRows : IARows
    {
        if (firstVectorOnly)
        {
            TKernel.Run<TRows, FirstVectorOnly>(kc, a, lda, b, ldb, tile);
        }
        else
        {
            TKernel.Run<TRows, FullTile>(kc, a, lda, b, ldb, tile);
        }
    }

    /// <summary>The matrix-vector case: one row of C, B read in place (packing it would cost more than the product).</summary>
    private static void RunRow(in GemmProblem<T> problem, int n0, int n1, GemmScratch scratch)
    {
        int n = n1 - n0;
        int kcMax = BalancedKc(problem.K);
        T* row = (T*)scratch.Tile.Get((nuint)n * (nuint)sizeof(T));
        for (int pc = 0; pc < problem.K; pc += kcMax)
        {
            RowBlock(problem, pc / kcMax, n0, n1, row);
            TileMerge.Run(row, n, problem.C + n0, problem.Ldc, false, 1, n, problem.Alpha, problem.Beta, pc == 0);
        }
    }

    /// <summary>K block <paramref name="block"/> of the single row's columns [n0, n1), from zero, into <paramref name="row"/> (not yet merged into C).</summary>
    public static void RowBlock(in GemmProblem<T> problem, int block, int n0, int n1, T* row)
    {
        int kcMax = BalancedKc(problem.K);
        int pc = block * kcMax;
        nint aStride = problem.TransA ? problem.Lda : 1;
        TKernel.RunRow(Math.Min(kcMax, problem.K - pc), problem.AAt(0, pc), aStride, problem.BAt(pc, n0), problem.Ldb, row, n1 - n0);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
