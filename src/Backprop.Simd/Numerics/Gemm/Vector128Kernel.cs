using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// The 128-bit path (SSE without AVX2, ARM64 NEON): a 6 x 8 float (6 x 4 double) tile, 12 accumulators, which fits the
/// 16 xmm registers of x64. ARM64 has 32 and could take a 12-row tile; that is left for when it can be measured.
/// </summary>
/// <remarks>Block sizes: KC = 256 (an 8 KiB B micro-panel), MC = 96, NC = 2048: conservative values for small caches.</remarks>
internal readonly unsafe struct Vector128Kernel<T> : IGemmKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Mr => Tile6x2<T, Vector128<T>, Simd128<T>>.Rows;

    public static int Nr => 2 * Vector128<T>.Count;

    public static int Mc => 96;

    public static int Kc => 256;

    public static int Nc => 2048;

    public static void Run<TRows, TWidth>(nint kc, T* a, nint lda, T* b, nint ldb, T* tile)
        where TRows : IARows
        where TWidth : ITileWidth => Tile6x2<T, Vector128<T>, Simd128<T>>.Run<TRows, TWidth>(kc, a, lda, b, ldb, tile);

    public static void RunRow(nint kc, T* a, nint aStride, T* b, nint ldb, T* row, int n) =>
        RowKernel.Run<T, Vector128<T>, Simd128<T>>(kc, a, aStride, b, ldb, row, n);
}
