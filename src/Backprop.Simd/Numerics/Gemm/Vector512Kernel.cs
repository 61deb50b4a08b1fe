using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics.GemmKernels;

/// <summary>
/// The AVX-512 path: a 12 x 32 float (12 x 16 double) tile, 24 zmm accumulators, as in MLAS and BLIS skx.
/// </summary>
/// <remarks>
/// Block sizes (gemm-notes §3, measured on Zen 5 with 48 KiB L1d and 1 MiB L2): KC = 384–400 floats keeps a 48 KiB B
/// micro-panel streaming from L1/L2 while 12-row A panels stream from L2; 400 rather than 384 so that K = 784 (MNIST's
/// inputs) is two balanced blocks of 392, not three of 262: a third fewer merges of C, and a single-sample prediction
/// splits its first layer evenly over two threads (interleaved A/B: [10000,784]x[784,256] 146 → 155 GFLOP/s, one
/// sample on 2 threads 6.1 → 5.7 µs median; K = 128 and 1024 unchanged). MC = 144 (an A block of 225 KiB, about a
/// quarter of L2); NC = 2048 (a 3 MiB B panel, a core's share of L3). Doubles: KC = 256, a 32 KiB micro-panel.
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
