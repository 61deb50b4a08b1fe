using System.Numerics;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>The plain triple loop in double: the oracle the GEMM is checked against.</summary>
public static class ReferenceGemm
{
    /// <summary>
    /// Computes C = alpha op(A) op(B) + beta C in double and, for each element, the scale of the terms summed
    /// (|alpha| Σ |a||b| + |beta||c|), which bounds the rounding error of any summation order.
    /// </summary>
    public static (double[] Value, double[] Scale) Compute<T>(
        bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, double beta, ReadOnlySpan<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = new double[m * n];
        var scale = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = double.CreateTruncating(transA ? a[(p * lda) + i] : a[(i * lda) + p]);
                    double y = double.CreateTruncating(transB ? b[(j * ldb) + p] : b[(p * ldb) + j]);
                    sum += x * y;
                    magnitude += Math.Abs(x * y);
                }

                double old = beta == 0 ? 0 : double.CreateTruncating(c[(i * ldc) + j]);
                value[(i * n) + j] = (alpha * sum) + (beta * old);
                scale[(i * n) + j] = (Math.Abs(alpha) * magnitude) + Math.Abs(beta * old);
            }
        }

        return (value, scale);
    }

    /// <summary>Machine epsilon of <typeparamref name="T"/> as a double.</summary>
    public static double Epsilon<T>()
        where T : IFloatingPointIeee754<T> => double.CreateTruncating(T.BitIncrement(T.One) - T.One);
}
