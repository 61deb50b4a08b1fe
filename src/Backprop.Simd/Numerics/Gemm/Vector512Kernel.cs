using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics.GemmKernels;

/// <summary>
/// The AVX-512 path: a 12 x 32 float (12 x 16 double) tile, 24 zmm accumulators, as in MLAS and BLIS skx.
/// </summary>
/// <remarks>
/// Block sizes (gemm-notes §3, measured on Zen 5 with 48 KiB L1d and 1 MiB L2): KC = 384 floats keeps a 48 KiB B
/// micro-panel streaming from L1/L2 while 12-row A panels stream from L2; MC = 144 (an A block of 216 KiB, about a
/// quarter of L2); NC = 2048 (a 3 MiB B panel, a core's share of L3). Doubles: KC = 256, the same 32 KiB micro-panel.
/// </remarks>
internal readonly unsafe struct Vector512Kernel<T> : IGemmKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Mr => Tile12x2<T, Vector512<T>, Simd512<T>>.Rows;

    public static int Nr => 2 * Vector512<T>.Count;

    public static int Mc => 144;

    public static int Kc => typeof(T) == typeof(float) ? 384 : 256;

    public static int Nc => 2048;

    public static void Run(nint kc, T* a, T* b, nint ldb, T* tile) =>
        Tile12x2<T, Vector512<T>, Simd512<T>>.Run(kc, a, b, ldb, tile);

    public static void RunRow(nint kc, T* a, nint aStride, T* b, nint ldb, T* row, int n) =>
        RowKernel.Run<T, Vector512<T>, Simd512<T>>(kc, a, aStride, b, ldb, row, n);
}
