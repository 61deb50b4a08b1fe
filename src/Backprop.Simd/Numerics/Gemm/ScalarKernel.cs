using System.Numerics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// The portable path: a 4x4 tile of scalar accumulators, for hardware without SIMD (or with
/// <c>DOTNET_EnableHWIntrinsic=0</c>). Also the plainest statement of what every kernel computes.
/// </summary>
internal readonly unsafe struct ScalarKernel<T> : IGemmKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Mr => 4;

    public static int Nr => 4;

    public static int Mc => 64;

    public static int Kc => 256;

    public static int Nc => 1024;

    /// <summary>The whole 4x4 tile whatever <typeparamref name="TWidth"/> asks: scalars gain nothing from skipping columns.</summary>
    public static void Run<TRows, TWidth>(nint kc, T* a, nint lda, T* b, nint ldb, T* tile)
        where TRows : IARows
        where TWidth : ITileWidth
    {
        T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        T c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero;
        T c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        for (nint p = 0; p < kc; p++)
        {
            T b0 = b[0];
            T b1 = b[1];
            T b2 = b[2];
            T b3 = b[3];
            T a0 = TRows.Element(a, lda, 0);
            T a1 = TRows.Element(a, lda, 1);
            T a2 = TRows.Element(a, lda, 2);
            T a3 = TRows.Element(a, lda, 3);
            c00 = T.MultiplyAddEstimate(a0, b0, c00);
            c01 = T.MultiplyAddEstimate(a0, b1, c01);
            c02 = T.MultiplyAddEstimate(a0, b2, c02);
            c03 = T.MultiplyAddEstimate(a0, b3, c03);
            c10 = T.MultiplyAddEstimate(a1, b0, c10);
            c11 = T.MultiplyAddEstimate(a1, b1, c11);
            c12 = T.MultiplyAddEstimate(a1, b2, c12);
            c13 = T.MultiplyAddEstimate(a1, b3, c13);
            c20 = T.MultiplyAddEstimate(a2, b0, c20);
            c21 = T.MultiplyAddEstimate(a2, b1, c21);
            c22 = T.MultiplyAddEstimate(a2, b2, c22);
            c23 = T.MultiplyAddEstimate(a2, b3, c23);
            c30 = T.MultiplyAddEstimate(a3, b0, c30);
            c31 = T.MultiplyAddEstimate(a3, b1, c31);
            c32 = T.MultiplyAddEstimate(a3, b2, c32);
            c33 = T.MultiplyAddEstimate(a3, b3, c33);
            a += TRows.Step(Mr, lda);
            b += ldb;
        }

        tile[0] = c00;
        tile[1] = c01;
        tile[2] = c02;
        tile[3] = c03;
        tile[4] = c10;
        tile[5] = c11;
        tile[6] = c12;
        tile[7] = c13;
        tile[8] = c20;
        tile[9] = c21;
        tile[10] = c22;
        tile[11] = c23;
        tile[12] = c30;
        tile[13] = c31;
        tile[14] = c32;
        tile[15] = c33;
    }

    public static void RunRow(nint kc, T* a, nint aStride, T* b, nint ldb, T* row, int n) =>
        RowKernel.RunScalar(kc, a, aStride, b, ldb, row, 0, n);
}
