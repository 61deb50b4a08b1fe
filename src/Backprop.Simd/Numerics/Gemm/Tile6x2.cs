using System.Numerics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// A 6 x (2 vectors) register tile: 12 accumulators, two B vectors and a broadcast, 15 of the 16 AVX2 or SSE registers.
/// </summary>
/// <remarks>
/// Per k: two vector loads of B, then for each row one broadcast of A and two multiply-adds. The accumulators are
/// separate locals (never an array) so that the JIT keeps them in registers, and the epilogue only stores them to
/// the tile buffer: any branch there makes the JIT spill accumulators inside the loop. The tests
/// on <c>TWidth</c> are no branches: the JIT decides them when it specialises the method.
/// </remarks>
internal static unsafe class Tile6x2<T, TVector, TSimd>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVector : struct
    where TSimd : ISimd<T, TVector>
{
    public const int Rows = 6;

    /// <summary>The tile (or its first vector's columns), A read as <typeparamref name="TRows"/> says (see <see cref="IGemmKernel{T}"/>).</summary>
    public static void Run<TRows, TWidth>(nint kc, T* a, nint lda, T* b, nint ldb, T* tile)
        where TRows : IARows
        where TWidth : ITileWidth
    {
        int w = TSimd.Count;
        TVector c00 = default, c01 = default;
        TVector c10 = default, c11 = default;
        TVector c20 = default, c21 = default;
        TVector c30 = default, c31 = default;
        TVector c40 = default, c41 = default;
        TVector c50 = default, c51 = default;
        TVector a0, a1;
        for (nint p = 0; p < kc; p++)
        {
            TVector b0 = TSimd.Load(b);
            TVector b1 = TWidth.BothVectors ? TSimd.Load(b + w) : default;
            a0 = TSimd.Broadcast(TRows.Element(a, lda, 0));
            c00 = TSimd.MultiplyAdd(a0, b0, c00);
            c01 = TWidth.BothVectors ? TSimd.MultiplyAdd(a0, b1, c01) : c01;
            a1 = TSimd.Broadcast(TRows.Element(a, lda, 1));
            c10 = TSimd.MultiplyAdd(a1, b0, c10);
            c11 = TWidth.BothVectors ? TSimd.MultiplyAdd(a1, b1, c11) : c11;
            a0 = TSimd.Broadcast(TRows.Element(a, lda, 2));
            c20 = TSimd.MultiplyAdd(a0, b0, c20);
            c21 = TWidth.BothVectors ? TSimd.MultiplyAdd(a0, b1, c21) : c21;
            a1 = TSimd.Broadcast(TRows.Element(a, lda, 3));
            c30 = TSimd.MultiplyAdd(a1, b0, c30);
            c31 = TWidth.BothVectors ? TSimd.MultiplyAdd(a1, b1, c31) : c31;
            a0 = TSimd.Broadcast(TRows.Element(a, lda, 4));
            c40 = TSimd.MultiplyAdd(a0, b0, c40);
            c41 = TWidth.BothVectors ? TSimd.MultiplyAdd(a0, b1, c41) : c41;
            a1 = TSimd.Broadcast(TRows.Element(a, lda, 5));
            c50 = TSimd.MultiplyAdd(a1, b0, c50);
            c51 = TWidth.BothVectors ? TSimd.MultiplyAdd(a1, b1, c51) : c51;
            a += TRows.Step(Rows, lda);
            b += ldb;
        }

        TSimd.Store(c00, tile);
        TSimd.Store(c10, tile + 2 * w);
        TSimd.Store(c20, tile + 4 * w);
        TSimd.Store(c30, tile + 6 * w);
        TSimd.Store(c40, tile + 8 * w);
        TSimd.Store(c50, tile + 10 * w);
        if (TWidth.BothVectors)
        {
            TSimd.Store(c01, tile + 1 * w);
            TSimd.Store(c11, tile + 3 * w);
            TSimd.Store(c21, tile + 5 * w);
            TSimd.Store(c31, tile + 7 * w);
            TSimd.Store(c41, tile + 9 * w);
            TSimd.Store(c51, tile + 11 * w);
        }
    }
}
