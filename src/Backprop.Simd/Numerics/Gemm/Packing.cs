using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Simd.Numerics;

/// <summary>
/// Packs blocks of op(A) and op(B) into the micro-panel layout the kernels read sequentially:
/// A as <c>kc</c> groups of MR row values, B as <c>kc</c> groups of NR column values, the last panel zero-padded
/// so that one kernel serves every tile.
/// </summary>
internal static unsafe class Packing
{
    /// <summary>
    /// How many rows ahead a pack of short row segments prefetches: a transposing pack reads four rows at a time for
    /// only kc elements each, too short a stream for the hardware prefetcher to ramp up, and four groups ahead
    /// measured best (docs/gemm.md).
    /// </summary>
    private const int PrefetchRows = 16;

    /// <summary>Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into MR-row panels at <paramref name="destination"/>.</summary>
    public static void PackA<T>(in GemmProblem<T> problem, int i0, int mc, int p0, int kc, int mr, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (problem.TransA)
        {
            PackRowPanels(problem.AAt(i0, p0), problem.Lda, kc, mc, mr, destination, prefetch: true);
            return;
        }

        for (int ir = 0; ir < mc; ir += mr)
        {
            PackColumns(problem.AAt(i0 + ir, p0), problem.Lda, kc, mr, Math.Min(mr, mc - ir), destination + ((nint)ir * kc));
        }
    }

    /// <summary>Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into NR-column panels at <paramref name="destination"/>.</summary>
    public static void PackB<T>(in GemmProblem<T> problem, int p0, int kc, int j0, int nc, int nr, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!problem.TransB)
        {
            PackRowPanels(problem.BAt(p0, j0), problem.Ldb, kc, nc, nr, destination, prefetch: false);
            return;
        }

        for (int jr = 0; jr < nc; jr += nr)
        {
            PackColumns(problem.BAt(p0, j0 + jr), problem.Ldb, kc, nr, Math.Min(nr, nc - jr), destination + ((nint)jr * kc));
        }
    }

    /// <summary>
    /// Panels of <paramref name="width"/> columns from kc rows that are already laid out along the panels (op(A) = Aᵀ,
    /// op(B) = B): panel q holds destination[q * width * kc + p * width + j] = source[p * ld + q * width + j], zero past
    /// <paramref name="count"/>. Row by row across all panels, so each source row segment is read once, front to back;
    /// panel by panel would touch every row once per panel and, for a tall K, stream the source from L3 many times.
    /// With <paramref name="prefetch"/> (A's pack, where each row contributes a short segment of mc elements, the
    /// dW = Xᵀ dY case) the segment <see cref="PrefetchRows"/> rows down is prefetched; B's rows are read whole and in
    /// sequence, which the hardware prefetcher follows by itself.
    /// </summary>
    public static void PackRowPanels<T>(T* source, nint ld, int kc, int count, int width, T* destination, bool prefetch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p = 0; p < kc; p++)
        {
            T* row = source + (p * ld);
            if (prefetch && Sse.IsSupported)
            {
                byte* ahead = (byte*)(row + (PrefetchRows * ld));
                nint bytes = count * sizeof(T);
                for (nint offset = 0; offset < bytes; offset += 64)
                {
                    Sse.Prefetch0(ahead + offset);
                }
            }

            for (int q = 0; q < count; q += width)
            {
                int valid = Math.Min(width, count - q);
                T* panelRow = destination + ((nint)q * kc) + ((nint)p * width);
                CopyRow(row + q, panelRow, valid);
                for (int j = valid; j < width; j++)
                {
                    panelRow[j] = T.Zero;
                }
            }
        }
    }

    /// <summary>destination[p * width + r] = source[r * ld + p] for r &lt; valid, 0 up to width: kc columns of <paramref name="valid"/> rows, transposed.</summary>
    public static void PackColumns<T>(T* source, nint ld, int kc, int width, int valid, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int r = 0;
        if (typeof(T) == typeof(float) && Sse.IsSupported)
        {
            for (; r + 4 <= valid; r += 4)
            {
                TransposeFloatRows((float*)source + (r * ld), ld, kc, width, (float*)destination + r);
            }
        }
        else if (typeof(T) == typeof(double) && Avx.IsSupported)
        {
            for (; r + 4 <= valid; r += 4)
            {
                TransposeDoubleRows((double*)source + (r * ld), ld, kc, width, (double*)destination + r);
            }
        }

        for (; r < valid; r++)
        {
            T* row = source + (r * ld);
            for (int p = 0; p < kc; p++)
            {
                destination[((nint)p * width) + r] = row[p];
            }
        }

        for (; r < width; r++)
        {
            for (int p = 0; p < kc; p++)
            {
                destination[((nint)p * width) + r] = T.Zero;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow<T>(T* source, T* destination, int count)
        where T : unmanaged
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<T>.Count <= count; j += Vector256<T>.Count)
            {
                Vector256.Store(Vector256.Load(source + j), destination + j);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; j + Vector128<T>.Count <= count; j += Vector128<T>.Count)
            {
                Vector128.Store(Vector128.Load(source + j), destination + j);
            }
        }

        for (; j < count; j++)
        {
            destination[j] = source[j];
        }
    }

    /// <summary>Prefetches one cache line of each of four rows <paramref name="rowBytes"/> apart into L1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchFourRows(void* first, nint rowBytes)
    {
        byte* line = (byte*)first;
        Sse.Prefetch0(line);
        Sse.Prefetch0(line + rowBytes);
        Sse.Prefetch0(line + (2 * rowBytes));
        Sse.Prefetch0(line + (3 * rowBytes));
    }

    /// <summary>
    /// Four rows of floats, kc long, into four lanes of each destination group: 4x4 in-register transposes, while the
    /// rows <see cref="PrefetchRows"/> further down are prefetched (past the matrix's end that is harmless: a prefetch never faults).
    /// </summary>
    private static void TransposeFloatRows(float* source, nint ld, int kc, int width, float* destination)
    {
        float* s0 = source;
        float* s1 = source + ld;
        float* s2 = source + (2 * ld);
        float* s3 = source + (3 * ld);
        float* ahead = source + (PrefetchRows * ld);
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            if ((p & 15) == 0)
            {
                PrefetchFourRows(ahead + p, ld * sizeof(float));
            }

            Vector128<float> r0 = Sse.LoadVector128(s0 + p);
            Vector128<float> r1 = Sse.LoadVector128(s1 + p);
            Vector128<float> r2 = Sse.LoadVector128(s2 + p);
            Vector128<float> r3 = Sse.LoadVector128(s3 + p);
            Vector128<float> t0 = Sse.UnpackLow(r0, r1);
            Vector128<float> t1 = Sse.UnpackLow(r2, r3);
            Vector128<float> t2 = Sse.UnpackHigh(r0, r1);
            Vector128<float> t3 = Sse.UnpackHigh(r2, r3);
            float* d = destination + ((nint)p * width);
            Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
            Sse.Store(d + width, Sse.MoveHighToLow(t1, t0));
            Sse.Store(d + (2 * width), Sse.MoveLowToHigh(t2, t3));
            Sse.Store(d + (3 * width), Sse.MoveHighToLow(t3, t2));
        }

        for (; p < kc; p++)
        {
            float* d = destination + ((nint)p * width);
            d[0] = s0[p];
            d[1] = s1[p];
            d[2] = s2[p];
            d[3] = s3[p];
        }
    }

    /// <summary>Four rows of doubles, kc long, into four lanes of each destination group: 4x4 AVX transposes, prefetching as the float form.</summary>
    private static void TransposeDoubleRows(double* source, nint ld, int kc, int width, double* destination)
    {
        double* s0 = source;
        double* s1 = source + ld;
        double* s2 = source + (2 * ld);
        double* s3 = source + (3 * ld);
        double* ahead = source + (PrefetchRows * ld);
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            if ((p & 7) == 0)
            {
                PrefetchFourRows(ahead + p, ld * sizeof(double));
            }

            Vector256<double> r0 = Avx.LoadVector256(s0 + p);
            Vector256<double> r1 = Avx.LoadVector256(s1 + p);
            Vector256<double> r2 = Avx.LoadVector256(s2 + p);
            Vector256<double> r3 = Avx.LoadVector256(s3 + p);
            Vector256<double> t0 = Avx.UnpackLow(r0, r1);
            Vector256<double> t1 = Avx.UnpackHigh(r0, r1);
            Vector256<double> t2 = Avx.UnpackLow(r2, r3);
            Vector256<double> t3 = Avx.UnpackHigh(r2, r3);
            double* d = destination + ((nint)p * width);
            Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
            Avx.Store(d + width, Avx.Permute2x128(t1, t3, 0x20));
            Avx.Store(d + (2 * width), Avx.Permute2x128(t0, t2, 0x31));
            Avx.Store(d + (3 * width), Avx.Permute2x128(t1, t3, 0x31));
        }

        for (; p < kc; p++)
        {
            double* d = destination + ((nint)p * width);
            d[0] = s0[p];
            d[1] = s1[p];
            d[2] = s2[p];
            d[3] = s3[p];
        }
    }
}
