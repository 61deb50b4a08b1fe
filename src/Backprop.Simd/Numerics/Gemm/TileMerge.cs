using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// Writes a kernel's raw accumulators into C, applying alpha and beta: on the first K block
/// C = alpha acc + beta C (C = alpha acc when beta is 0, without reading C: it may hold NaN), on later blocks
/// C = alpha acc + C. Kept apart from the kernel so that the kernel's epilogue stays branch-free.
/// </summary>
internal static unsafe class TileMerge
{
    /// <summary>Merges rows x cols of <paramref name="tile"/> (row stride <paramref name="tileStride"/>) into C.</summary>
    public static void Run<T>(T* tile, nint tileStride, T* c, nint ldc, bool transposedC, int rows, int cols, T alpha, T beta, bool firstBlock)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (transposedC)
        {
            RunTransposed(tile, tileStride, c, ldc, rows, cols, alpha, beta, firstBlock);
        }
        else if (Vector512.IsHardwareAccelerated)
        {
            Run<T, Vector512<T>, Simd512<T>>(tile, tileStride, c, ldc, rows, cols, alpha, beta, firstBlock);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Run<T, Vector256<T>, Simd256<T>>(tile, tileStride, c, ldc, rows, cols, alpha, beta, firstBlock);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Run<T, Vector128<T>, Simd128<T>>(tile, tileStride, c, ldc, rows, cols, alpha, beta, firstBlock);
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                MergeScalar(tile + (r * tileStride), c + (r * ldc), 0, cols, alpha, beta, firstBlock);
            }
        }
    }

    private static void Run<T, TVector, TSimd>(T* tile, nint tileStride, T* c, nint ldc, int rows, int cols, T alpha, T beta, bool firstBlock)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        int w = TSimd.Count;
        bool overwrite = firstBlock && T.IsZero(beta);
        for (int r = 0; r < rows; r++)
        {
            T* t = tile + (r * tileStride);
            T* cr = c + (r * ldc);
            int j = 0;
            if (overwrite)
            {
                for (; j + w <= cols; j += w)
                {
                    TSimd.Store(TSimd.Scale(TSimd.Load(t + j), alpha), cr + j);
                }
            }
            else if (firstBlock)
            {
                for (; j + w <= cols; j += w)
                {
                    TSimd.Store(TSimd.Merge(TSimd.Load(t + j), alpha, TSimd.Load(cr + j), beta), cr + j);
                }
            }
            else
            {
                for (; j + w <= cols; j += w)
                {
                    TSimd.Store(TSimd.Accumulate(TSimd.Load(t + j), alpha, TSimd.Load(cr + j)), cr + j);
                }
            }

            MergeScalar(t, cr, j, cols, alpha, beta, firstBlock);
        }
    }

    /// <summary>Columns <paramref name="start"/> .. <paramref name="cols"/> - 1 of one row, with the vector forms' exact arithmetic.</summary>
    private static void MergeScalar<T>(T* t, T* c, int start, int cols, T alpha, T beta, bool firstBlock)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool overwrite = firstBlock && T.IsZero(beta);
        for (int j = start; j < cols; j++)
        {
            c[j] = overwrite ? t[j] * alpha
                : firstBlock ? (t[j] * alpha) + (c[j] * beta)
                : (t[j] * alpha) + c[j];
        }
    }

    /// <summary>The tile of Cᵀ: element (r, j) goes to C[j * ldc + r].</summary>
    private static void RunTransposed<T>(T* tile, nint tileStride, T* c, nint ldc, int rows, int cols, T alpha, T beta, bool firstBlock)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool overwrite = firstBlock && T.IsZero(beta);
        for (int j = 0; j < cols; j++)
        {
            T* cj = c + (j * ldc);
            for (int r = 0; r < rows; r++)
            {
                T t = tile[(r * tileStride) + j];
                cj[r] = overwrite ? t * alpha
                    : firstBlock ? (t * alpha) + (cj[r] * beta)
                    : (t * alpha) + cj[r];
            }
        }
    }
}
