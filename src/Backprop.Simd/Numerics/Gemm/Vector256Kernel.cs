using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// The AVX2+FMA path: a 6 x 16 float (6 x 8 double) tile, 12 ymm accumulators, as in BLIS haswell/zen: with only 16
/// ymm registers any 24-accumulator shape spills.
/// </summary>
/// <remarks>
/// Block sizes for Zen 2/3 (32 KiB L1d, 512 KiB L2): KC = 256 keeps the 16 KiB B micro-panel in half of L1; MC = 144
/// floats (72 doubles) is a 144 KiB A block, about a quarter of L2; NC = 4080 (BLIS's) keeps the B panel in L3.
/// </remarks>
internal readonly unsafe struct Vector256Kernel<T> : IGemmKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Mr => Tile6x2<T, Vector256<T>, Simd256<T>>.Rows;

    public static int Nr => 2 * Vector256<T>.Count;

    public static int Mc => typeof(T) == typeof(float) ? 144 : 72;

    public static int Kc => 256;

    public static int Nc => 4080;

    public static void Run<TRows, TWidth>(nint kc, T* a, nint lda, T* b, nint ldb, T* tile)
        where TRows : IARows
        where TWidth : ITileWidth => Tile6x2<T, Vector256<T>, Simd256<T>>.Run<TRows, TWidth>(kc, a, lda, b, ldb, tile);

    public static void RunRow(nint kc, T* a, nint aStride, T* b, nint ldb, T* row, int n) =>
        RowKernel.Run<T, Vector256<T>, Simd256<T>>(kc, a, aStride, b, ldb, row, n);
}
