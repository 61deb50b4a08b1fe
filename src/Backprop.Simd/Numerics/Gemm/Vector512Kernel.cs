using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// The AVX-512 path: a 12 x 32 float (12 x 16 double) tile, 24 zmm accumulators, as in MLAS and BLIS skx.
/// </summary>
/// <remarks>
/// Block sizes (docs/gemm.md, for 48 KiB L1d and 1 MiB L2): KC = 400 floats keeps a B micro-panel streaming from L1/L2
/// while 12-row A panels stream from L2, and makes K = 784 (MNIST's inputs) two balanced blocks rather than three;
/// MC = 144 (an A block of about a quarter of L2); NC = 2048 (a 3 MiB B panel). Doubles: KC = 256.
/// </remarks>
internal readonly unsafe struct Vector512Kernel<T> : IGemmKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Mr => Tile12x2<T, Vector512<T>, Simd512<T>>.Rows;

    public static int Nr => 2 * Vector512<T>.Count;

    public static int Mc => 144;

    public static int Kc => typeof(T) == typeof(float) ? 400 : 256;

    public static int Nc => 2048;

    public static void Run<TRows, TWidth>(nint kc, T* a, nint lda, T* b, nint ldb, T* tile)
        where TRows : IARows
        where TWidth : ITileWidth => Tile12x2<T, Vector512<T>, Simd512<T>>.Run<TRows, TWidth>(kc, a, lda, b, ldb, tile);

    public static void RunRow(nint kc, T* a, nint aStride, T* b, nint ldb, T* row, int n) =>
        RowKernel.Run<T, Vector512<T>, Simd512<T>>(kc, a, aStride, b, ldb, row, n);
}
