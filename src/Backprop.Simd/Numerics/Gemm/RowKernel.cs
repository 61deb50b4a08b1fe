using System.Numerics;

namespace Backprop.Simd.Numerics.GemmKernels;

/// <summary>
/// The matrix-vector path (one row of C, M = 1): row[j] = Σ_p a[p * aStride] * b[p * ldb + j], with B read in place,
/// in the kernels' order of operations (from zero, one multiply-add per k), so that a single-row product gives the
/// same bits as the same row computed inside a larger product.
/// </summary>
internal static unsafe class RowKernel
{
    /// <summary>Four vectors of columns at a time (enough independent accumulators to hide FMA latency), then one, then scalars.</summary>
    public static void Run<T, TVector, TSimd>(nint kc, T* a, nint aStride, T* b, nint ldb, T* row, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        int w = TSimd.Count;
        int j = 0;
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

        RunScalar(kc, a, aStride, b, ldb, row, j, n);
    }

    /// <summary>
    /// Columns <paramref name="start"/> .. <paramref name="n"/> - 1: four columns at a time so that four independent
    /// multiply-add chains hide the latency (a 10-class output layer is all tail), then one at a time. Each column is
    /// still summed from zero in k order, so the bits do not depend on the grouping.
    /// </summary>
    public static void RunScalar<T>(nint kc, T* a, nint aStride, T* b, nint ldb, T* row, int start, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = start;
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

        for (; j < n; j++)
        {
            T sum = T.Zero;
            T* ap = a;
            T* bp = b + j;
            for (nint p = 0; p < kc; p++)
            {
                sum = T.MultiplyAddEstimate(*ap, *bp, sum);
                ap += aStride;
                bp += ldb;
            }

            row[j] = sum;
        }
    }
}
