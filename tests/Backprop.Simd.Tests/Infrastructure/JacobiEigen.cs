namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>
/// Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations, in plain scalar double: the
/// oracle of the sharpness tests, independent of the library.
/// </summary>
internal static class JacobiEigen
{
    /// <summary>The eigenvalues (unsorted) and the eigenvectors (the columns of <c>Vectors</c>, in the same order).</summary>
    public static (double[] Values, double[,] Vectors) Decompose(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        double scale = 0;
        for (int i = 0; i < n; i++)
        {
            v[i, i] = 1;
            for (int j = 0; j < n; j++)
            {
                scale += a[i, j] * a[i, j];
            }
        }

        for (int sweep = 0; sweep < 100 && OffDiagonal(a) > 1e-30 * scale; sweep++)
        {
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p, q] != 0)
                    {
                        Rotate(a, v, p, q);
                    }
                }
            }
        }

        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = a[i, i];
        }

        return (values, v);
    }

    /// <summary>The eigenvalue of largest magnitude and its eigenvector, and the magnitude of the next one.</summary>
    public static (double Value, double[] Vector, double NextMagnitude) Dominant(double[,] matrix)
    {
        (double[] values, double[,] vectors) = Decompose(matrix);
        int[] order = [.. Enumerable.Range(0, values.Length).OrderByDescending(i => Math.Abs(values[i]))];
        int top = order[0];
        double[] vector = [.. Enumerable.Range(0, values.Length).Select(k => vectors[k, top])];
        return (values[top], vector, values.Length > 1 ? Math.Abs(values[order[1]]) : 0);
    }

    private static double OffDiagonal(double[,] a)
    {
        double sum = 0;
        for (int p = 0; p < a.GetLength(0); p++)
        {
            for (int q = p + 1; q < a.GetLength(0); q++)
            {
                sum += a[p, q] * a[p, q];
            }
        }

        return sum;
    }

    /// <summary>A ← Jᵀ A J and V ← V J, with J the rotation in the (p, q) plane that zeroes a[p, q].</summary>
    private static void Rotate(double[,] a, double[,] v, int p, int q)
    {
        int n = a.GetLength(0);
        double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
        double t = (theta >= 0 ? 1 : -1) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
        double c = 1 / Math.Sqrt((t * t) + 1);
        double s = t * c;
        for (int k = 0; k < n; k++)
        {
            (double kp, double kq) = (a[k, p], a[k, q]);
            a[k, p] = (c * kp) - (s * kq);
            a[k, q] = (s * kp) + (c * kq);
        }

        for (int k = 0; k < n; k++)
        {
            (double pk, double qk) = (a[p, k], a[q, k]);
            a[p, k] = (c * pk) - (s * qk);
            a[q, k] = (s * pk) + (c * qk);
        }

        for (int k = 0; k < n; k++)
        {
            (double kp, double kq) = (v[k, p], v[k, q]);
            v[k, p] = (c * kp) - (s * kq);
            v[k, q] = (s * kp) + (c * kq);
        }
    }
}
