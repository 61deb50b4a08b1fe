using System.Numerics;
using System.Runtime.InteropServices;
using Backprop.Simd.Numerics.Threading;

namespace Backprop.Simd.Numerics;

/// <summary>
/// General matrix multiplication, <c>C = alpha op(A) op(B) + beta C</c>, row-major, for float and double: a
/// BLIS-style cache-blocked GEMM on packed panels and a register-tiled FMA micro-kernel (AVX-512, AVX2+FMA,
/// Vector128 or scalar, chosen at run time), multithreaded for large products.
/// </summary>
/// <remarks>
/// <para>Results are bitwise identical for any degree of parallelism: threads split the rows and columns of C, never
/// the sum over K, and every element is summed in one fixed order.</para>
/// <para>When <c>beta</c> is zero C is written without being read, as in BLAS, so it may hold NaN or garbage. When
/// <c>alpha</c> is zero or K is zero, A and B are not read and C becomes <c>beta C</c>.</para>
/// <para>C must not overlap A or B. After the first calls (which size the pooled packing buffers) a call allocates
/// nothing.</para>
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// <c>C = alpha op(A) op(B) + beta C</c> on spans with leading dimensions, as BLAS's <c>?gemm</c> but row-major.
    /// op(A) is m x k, op(B) is k x n and C is m x n.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="transposeA">Whether op(A) = Aᵀ; A is then stored k x m.</param>
    /// <param name="transposeB">Whether op(B) = Bᵀ; B is then stored n x k.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">The factor on the product.</param>
    /// <param name="a">A, row-major; row i starts at a[i * lda].</param>
    /// <param name="lda">The leading dimension (row stride) of A, at least its stored column count.</param>
    /// <param name="b">B, row-major; row i starts at b[i * ldb].</param>
    /// <param name="ldb">The leading dimension of B.</param>
    /// <param name="beta">The factor on the old C; 0 means C is not read.</param>
    /// <param name="c">C, row-major, written in place.</param>
    /// <param name="ldc">The leading dimension of C, at least n.</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use: 1 for the calling thread only, 0 or less for every processor.</param>
    /// <exception cref="ArgumentException">A size is negative, a leading dimension is too small, a span is too short, or C overlaps A or B.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Multiply<T>(
        Transpose transposeA,
        Transpose transposeB,
        int m,
        int n,
        int k,
        T alpha,
        ReadOnlySpan<T> a,
        int lda,
        ReadOnlySpan<T> b,
        int ldb,
        T beta,
        Span<T> c,
        int ldc,
        int maxDegreeOfParallelism = 0)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxDegreeOfParallelism, GemmKernelSelector.Default);

    /// <summary>The public entry with an explicit kernel path, so that tests can run every path on any machine.</summary>
    internal static unsafe void Multiply<T>(
        Transpose transposeA,
        Transpose transposeB,
        int m,
        int n,
        int k,
        T alpha,
        ReadOnlySpan<T> a,
        int lda,
        ReadOnlySpan<T> b,
        int ldb,
        T beta,
        Span<T> c,
        int ldc,
        int maxDegreeOfParallelism,
        GemmKernelKind kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType<T>.ThrowIfNotSupported();
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        bool transA = CheckTranspose(transposeA, nameof(transposeA));
        bool transB = CheckTranspose(transposeB, nameof(transposeB));
        CheckOperand(a.Length, transA ? k : m, transA ? m : k, lda, "A", nameof(a), nameof(lda));
        CheckOperand(b.Length, transB ? n : k, transB ? k : n, ldb, "B", nameof(b), nameof(ldb));
        CheckOperand(c.Length, m, n, ldc, "C", nameof(c), nameof(ldc));
        if (m == 0 || n == 0)
        {
            return;
        }

        Span<T> cUsed = c[..(int)Shape.RequiredLength(m, n, ldc)];
        if (k > 0 && !T.IsZero(alpha))
        {
            ThrowIfOverlapping(a[..(int)Shape.RequiredLength(transA ? k : m, transA ? m : k, lda)], cUsed, nameof(a));
            ThrowIfOverlapping(b[..(int)Shape.RequiredLength(transB ? n : k, transB ? k : n, ldb)], cUsed, nameof(b));
        }
        else
        {
            ScaleC(cUsed, m, n, ldc, beta);
            return;
        }

        int threads = WorkerPool.ResolveThreads(maxDegreeOfParallelism);
        fixed (T* pa = &MemoryMarshal.GetReference(a))
        fixed (T* pb = &MemoryMarshal.GetReference(b))
        fixed (T* pc = &MemoryMarshal.GetReference(c))
        {
            var problem = new GemmProblem<T>
            {
                A = pa,
                Lda = lda,
                TransA = transA,
                B = pb,
                Ldb = ldb,
                TransB = transB,
                C = pc,
                Ldc = ldc,
                M = m,
                N = n,
                K = k,
                Alpha = alpha,
                Beta = beta,
            };
            GemmEngine<T>.Run(problem, threads, kernel);
        }
    }

    /// <summary><c>C = alpha op(A) op(B) + beta C</c> on matrix views (strided views included).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="alpha">The factor on the product.</param>
    /// <param name="a">A.</param>
    /// <param name="transposeA">Whether to use Aᵀ.</param>
    /// <param name="b">B.</param>
    /// <param name="transposeB">Whether to use Bᵀ.</param>
    /// <param name="beta">The factor on the old C; 0 means C is not read.</param>
    /// <param name="c">C, written in place; its shape must be rows of op(A) x columns of op(B).</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use: 1 for the calling thread only, 0 or less for every processor.</param>
    /// <exception cref="ArgumentException">The shapes do not chain, or C overlaps A or B.</exception>
    public static void Multiply<T>(
        T alpha,
        ReadOnlyMatrixSpan<T> a,
        Transpose transposeA,
        ReadOnlyMatrixSpan<T> b,
        Transpose transposeB,
        T beta,
        MatrixSpan<T> c,
        int maxDegreeOfParallelism = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool transA = CheckTranspose(transposeA, nameof(transposeA));
        bool transB = CheckTranspose(transposeB, nameof(transposeB));
        int m = transA ? a.Columns : a.Rows;
        int k = transA ? a.Rows : a.Columns;
        int kb = transB ? b.Columns : b.Rows;
        int n = transB ? b.Rows : b.Columns;
        if (k != kb || c.Rows != m || c.Columns != n)
        {
            throw new ArgumentException(
                $"Shapes do not chain: op(A) is {Shape.Format(m, k)}, op(B) is {Shape.Format(kb, n)}, C is {Shape.Format(c.Rows, c.Columns)}.",
                nameof(c));
        }

        Multiply(
            transposeA,
            transposeB,
            m,
            n,
            k,
            alpha,
            a.Span,
            Math.Max(a.Stride, Math.Max(1, a.Columns)),
            b.Span,
            Math.Max(b.Stride, Math.Max(1, b.Columns)),
            beta,
            c.Span,
            Math.Max(c.Stride, Math.Max(1, c.Columns)),
            maxDegreeOfParallelism);
    }

    /// <summary><c>C = op(A) op(B)</c> on matrix views.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">A.</param>
    /// <param name="b">B.</param>
    /// <param name="c">C, overwritten (not read).</param>
    /// <param name="transposeA">Whether to use Aᵀ.</param>
    /// <param name="transposeB">Whether to use Bᵀ.</param>
    /// <exception cref="ArgumentException">The shapes do not chain, or C overlaps A or B.</exception>
    public static void Multiply<T>(
        ReadOnlyMatrixSpan<T> a,
        ReadOnlyMatrixSpan<T> b,
        MatrixSpan<T> c,
        Transpose transposeA = Transpose.None,
        Transpose transposeB = Transpose.None)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Multiply(T.One, a, transposeA, b, transposeB, T.Zero, c);

    /// <summary><c>C = alpha op(A) op(B) + beta C</c> on matrices.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="alpha">The factor on the product.</param>
    /// <param name="a">A.</param>
    /// <param name="transposeA">Whether to use Aᵀ.</param>
    /// <param name="b">B.</param>
    /// <param name="transposeB">Whether to use Bᵀ.</param>
    /// <param name="beta">The factor on the old C; 0 means C is not read.</param>
    /// <param name="c">C, written in place.</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use: 1 for the calling thread only, 0 or less for every processor.</param>
    /// <exception cref="ArgumentException">The shapes do not chain, or C shares storage with A or B.</exception>
    public static void Multiply<T>(
        T alpha,
        Matrix<T> a,
        Transpose transposeA,
        Matrix<T> b,
        Transpose transposeB,
        T beta,
        Matrix<T> c,
        int maxDegreeOfParallelism = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        Multiply(alpha, a.AsMatrixSpan(), transposeA, b.AsMatrixSpan(), transposeB, beta, c.AsMatrixSpan(), maxDegreeOfParallelism);
    }

    /// <summary><c>C = op(A) op(B)</c> on matrices.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">A.</param>
    /// <param name="b">B.</param>
    /// <param name="c">C, overwritten (not read).</param>
    /// <param name="transposeA">Whether to use Aᵀ.</param>
    /// <param name="transposeB">Whether to use Bᵀ.</param>
    /// <exception cref="ArgumentException">The shapes do not chain, or C shares storage with A or B.</exception>
    public static void Multiply<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, Transpose transposeA = Transpose.None, Transpose transposeB = Transpose.None)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Multiply(T.One, a, transposeA, b, transposeB, T.Zero, c);

    private static bool CheckTranspose(Transpose transpose, string name) => transpose switch
    {
        Transpose.None => false,
        Transpose.Transposed => true,
        _ => throw new ArgumentOutOfRangeException(name, transpose, "Not a Transpose value."),
    };

    private static void CheckOperand(int length, int rows, int columns, int leading, string matrix, string spanName, string leadingName)
    {
        if (leading < Math.Max(1, columns))
        {
            throw new ArgumentOutOfRangeException(leadingName, $"The leading dimension of {matrix} ({leading}) is smaller than its {columns} stored columns.");
        }

        long required = Shape.RequiredLength(rows, columns, leading);
        if (required > length)
        {
            throw new ArgumentException(
                $"{matrix} is stored as {Shape.Format(rows, columns)} with leading dimension {leading}, which needs {required} elements, but the span has {length}.",
                spanName);
        }
    }

    private static void ThrowIfOverlapping<T>(ReadOnlySpan<T> operand, Span<T> c, string name)
    {
        if (operand.Overlaps(c))
        {
            throw new ArgumentException($"C overlaps {name}; the product cannot be written over its own operands.", name);
        }
    }

    private static void ScaleC<T>(Span<T> c, int m, int n, int ldc, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            Span<T> row = c.Slice(i * ldc, n);
            if (T.IsZero(beta))
            {
                row.Clear();
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }
}
