using System.Numerics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// The matrix-vector path (one row of C, M = 1): row[j] = Σ_p a[p * aStride] * b[p * ldb + j], with B read in place,
/// in the kernels' order of operations (from zero, one multiply-add per k), so that a single-row product gives the
/// same bits as the same row computed inside a larger product.
/// </summary>
internal static unsafe class RowKernel
{
    /// <summary>
    /// Sixteen vectors of columns at a time where AVX-512's 32 registers hold them (a 256-float layer in one pass, which
    /// streams B's rows whole), else eight (enough independent accumulators to hide FMA latency), then four, then one,
    /// then the last columns as one masked vector where the hardware masks loads, else as scalars.
    /// </summary>
    public static void Run<T, TVector, TSimd>(nint kc, T* a, nint aStride, T* b, nint ldb, T* row, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        int w = TSimd.Count;
        int j = 0;
        if (w * sizeof(T) == 64)
        {
            for (; j + (16 * w) <= n; j += 16 * w)
            {
                TVector c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
                TVector c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
                T* ap = a;
                T* bp = b + j;
                for (nint p = 0; p < kc; p++)
                {
                    TVector av = TSimd.Broadcast(*ap);
                    c0 = TSimd.MultiplyAdd(av, TSimd.Load(bp), c0);
                    c1 = TSimd.MultiplyAdd(av, TSimd.Load(bp + w), c1);
                    c2 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (2 * w)), c2);
                    c3 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (3 * w)), c3);
                    c4 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (4 * w)), c4);
                    c5 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (5 * w)), c5);
                    c6 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (6 * w)), c6);
                    c7 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (7 * w)), c7);
                    c8 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (8 * w)), c8);
                    c9 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (9 * w)), c9);
                    c10 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (10 * w)), c10);
                    c11 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (11 * w)), c11);
                    c12 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (12 * w)), c12);
                    c13 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (13 * w)), c13);
                    c14 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (14 * w)), c14);
                    c15 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (15 * w)), c15);
                    ap += aStride;
                    bp += ldb;
                }

                T* r = row + j;
                TSimd.Store(c0, r);
                TSimd.Store(c1, r + w);
                TSimd.Store(c2, r + (2 * w));
                TSimd.Store(c3, r + (3 * w));
                TSimd.Store(c4, r + (4 * w));
                TSimd.Store(c5, r + (5 * w));
                TSimd.Store(c6, r + (6 * w));
                TSimd.Store(c7, r + (7 * w));
                TSimd.Store(c8, r + (8 * w));
                TSimd.Store(c9, r + (9 * w));
                TSimd.Store(c10, r + (10 * w));
                TSimd.Store(c11, r + (11 * w));
                TSimd.Store(c12, r + (12 * w));
                TSimd.Store(c13, r + (13 * w));
                TSimd.Store(c14, r + (14 * w));
                TSimd.Store(c15, r + (15 * w));
            }
        }

        for (; j + (8 * w) <= n; j += 8 * w)
        {
            TVector c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            T* ap = a;
            T* bp = b + j;
            for (nint p = 0; p < kc; p++)
            {
                TVector av = TSimd.Broadcast(*ap);
                c0 = TSimd.MultiplyAdd(av, TSimd.Load(bp), c0);
                c1 = TSimd.MultiplyAdd(av, TSimd.Load(bp + w), c1);
                c2 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (2 * w)), c2);
                c3 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (3 * w)), c3);
                c4 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (4 * w)), c4);
                c5 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (5 * w)), c5);
                c6 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (6 * w)), c6);
                c7 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (7 * w)), c7);
                ap += aStride;
                bp += ldb;
            }

            TSimd.Store(c0, row + j);
            TSimd.Store(c1, row + j + w);
            TSimd.Store(c2, row + j + (2 * w));
            TSimd.Store(c3, row + j + (3 * w));
            TSimd.Store(c4, row + j + (4 * w));
            TSimd.Store(c5, row + j + (5 * w));
            TSimd.Store(c6, row + j + (6 * w));
            TSimd.Store(c7, row + j + (7 * w));
        }

        for (; j + (4 * w) <= n; j += 4 * w)
        {
            TVector c0 = default, c1 = default, c2 = default, c3 = default;
            T* ap = a;
            T* bp = b + j;
            for (nint p = 0; p < kc; p++)
            {
                TVector av = TSimd.Broadcast(*ap);
                c0 = TSimd.MultiplyAdd(av, TSimd.Load(bp), c0);
                c1 = TSimd.MultiplyAdd(av, TSimd.Load(bp + w), c1);
                c2 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (2 * w)), c2);
                c3 = TSimd.MultiplyAdd(av, TSimd.Load(bp + (3 * w)), c3);
                ap += aStride;
                bp += ldb;
            }

            TSimd.Store(c0, row + j);
            TSimd.Store(c1, row + j + w);
            TSimd.Store(c2, row + j + (2 * w));
            TSimd.Store(c3, row + j + (3 * w));
        }

        for (; j + w <= n; j += w)
        {
            TVector c0 = default;
            T* ap = a;
            T* bp = b + j;
            for (nint p = 0; p < kc; p++)
            {
                c0 = TSimd.MultiplyAdd(TSimd.Broadcast(*ap), TSimd.Load(bp), c0);
                ap += aStride;
                bp += ldb;
            }

            TSimd.Store(c0, row + j);
        }

        if (j < n && TSimd.CanMask)
        {
            // The last few columns (a 10-class output layer is nothing else) as one masked vector: one chain of
            // multiply-adds instead of the scalar groups' two passes over k, with the same per-column order.
            int tail = n - j;
            TVector c0 = default;
            T* ap = a;
            T* bp = b + j;
            for (nint p = 0; p < kc; p++)
            {
                c0 = TSimd.MultiplyAdd(TSimd.Broadcast(*ap), TSimd.LoadFirst(bp, tail), c0);
                ap += aStride;
                bp += ldb;
            }

            TSimd.StoreFirst(c0, row + j, tail);
            return;
        }

        RunScalar(kc, a, aStride, b, ldb, row, j, n);
    }

    /// <summary>
    /// Columns <paramref name="start"/> .. <paramref name="n"/> - 1 in scalars: eight columns at a time, so that
    /// eight independent multiply-add chains keep both FMA pipes busy (a 10-class output layer is all tail), then
    /// four, then the last one to three in one pass. Each column is still summed from zero in k order, so the bits do
    /// not depend on the grouping.
    /// </summary>
    public static void RunScalar<T>(nint kc, T* a, nint aStride, T* b, nint ldb, T* row, int start, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = start;
        for (; j + 8 <= n; j += 8)
        {
            T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero, s4 = T.Zero, s5 = T.Zero, s6 = T.Zero, s7 = T.Zero;
            T* ap = a;
            T* bp = b + j;
            for (nint p = 0; p < kc; p++)
            {
                T av = *ap;
                s0 = T.MultiplyAddEstimate(av, bp[0], s0);
                s1 = T.MultiplyAddEstimate(av, bp[1], s1);
                s2 = T.MultiplyAddEstimate(av, bp[2], s2);
                s3 = T.MultiplyAddEstimate(av, bp[3], s3);
                s4 = T.MultiplyAddEstimate(av, bp[4], s4);
                s5 = T.MultiplyAddEstimate(av, bp[5], s5);
                s6 = T.MultiplyAddEstimate(av, bp[6], s6);
                s7 = T.MultiplyAddEstimate(av, bp[7], s7);
                ap += aStride;
                bp += ldb;
            }

            row[j] = s0;
            row[j + 1] = s1;
            row[j + 2] = s2;
            row[j + 3] = s3;
            row[j + 4] = s4;
            row[j + 5] = s5;
            row[j + 6] = s6;
            row[j + 7] = s7;
        }

        for (; j + 4 <= n; j += 4)
        {
            T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
            T* ap = a;
            T* bp = b + j;
            for (nint p = 0; p < kc; p++)
            {
                T av = *ap;
                s0 = T.MultiplyAddEstimate(av, bp[0], s0);
                s1 = T.MultiplyAddEstimate(av, bp[1], s1);
                s2 = T.MultiplyAddEstimate(av, bp[2], s2);
                s3 = T.MultiplyAddEstimate(av, bp[3], s3);
                ap += aStride;
                bp += ldb;
            }

            row[j] = s0;
            row[j + 1] = s1;
            row[j + 2] = s2;
            row[j + 3] = s3;
        }

        int rest = n - j;
        if (rest > 0)
        {
            // Up to three columns in one pass; a missing column repeats the last one (read, never stored).
            nint c1 = Math.Min(1, rest - 1), c2 = Math.Min(2, rest - 1);
            T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero;
            T* ap = a;
            T* bp = b + j;
            for (nint p = 0; p < kc; p++)
            {
                T av = *ap;
                s0 = T.MultiplyAddEstimate(av, bp[0], s0);
                s1 = T.MultiplyAddEstimate(av, bp[c1], s1);
                s2 = T.MultiplyAddEstimate(av, bp[c2], s2);
                ap += aStride;
                bp += ldb;
            }

            row[j] = s0;
            row[j + c1] = s1;
            row[j + c2] = s2;
        }
    }
}
