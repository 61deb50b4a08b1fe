using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Simd.Numerics;

public static partial class Kernels
{
    /// <summary>matrix[i, j] += bias[j] for every row i: the bias add, broadcast over rows, in place.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="matrix">The matrix, [rows x n].</param>
    /// <param name="bias">The bias, n elements; not part of <paramref name="matrix"/>.</param>
    public static void AddBias<T>(MatrixSpan<T> matrix, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RowLength(matrix.Columns, bias.Length, nameof(bias));
        SpanChecks.Disjoint(matrix, bias, nameof(bias));
        for (int i = 0; i < matrix.Rows; i++)
        {
            Span<T> row = matrix.Row(i);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>destination[j] = Σ_i x[i, j], rows added in order 0, 1, 2, …: the bias gradient.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The matrix, [rows x n].</param>
    /// <param name="destination">The column sums, n elements; not part of <paramref name="x"/>.</param>
    public static void ColumnSums<T>(ReadOnlyMatrixSpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RowLength(x.Columns, destination.Length, nameof(destination));
        SpanChecks.Disjoint(x, destination, nameof(destination));
        destination.Clear();
        AddColumnSums(x, destination);
    }

    /// <summary>destination[j] += Σ_i x[i, j], rows added in order: accumulates a bias gradient.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The matrix, [rows x n].</param>
    /// <param name="destination">The accumulator, n elements; not part of <paramref name="x"/>.</param>
    public static void AddColumnSums<T>(ReadOnlyMatrixSpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RowLength(x.Columns, destination.Length, nameof(destination));
        SpanChecks.Disjoint(x, destination, nameof(destination));
        for (int i = 0; i < x.Rows; i++)
        {
            TensorPrimitives.Add(destination, x.Row(i), destination);
        }
    }

    /// <summary>
    /// Row-wise softmax, numerically stable: destination[i, j] = e^(x[i, j] - m_i) / Σ_k e^(x[i, k] - m_i) with m_i the
    /// row maximum, so large inputs do not overflow. A row holding NaN or +∞ gives NaN (+∞ − +∞ at the maximum), as in
    /// PyTorch and ONNX Runtime; −∞ is a masked entry with probability 0.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The logits, [rows x n].</param>
    /// <param name="destination">The probabilities, same shape; may be the same view as <paramref name="x"/>.</param>
    public static void SoftmaxRows<T>(ReadOnlyMatrixSpan<T> x, MatrixSpan<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Shape.ThrowIfDifferent(x.Rows, x.Columns, destination.Rows, destination.Columns, nameof(x), nameof(destination));
        SpanChecks.NoPartialOverlap(x, destination, nameof(x));
        for (int i = 0; i < x.Rows; i++)
        {
            Softmax(x.Row(i), destination.Row(i));
        }
    }

    /// <summary>Softmax of one row, numerically stable (see <see cref="SoftmaxRows{T}"/>).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The logits.</param>
    /// <param name="destination">The probabilities; may be <paramref name="x"/>.</param>
    public static void Softmax<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        if (x.IsEmpty)
        {
            return;
        }

        Span<T> d = destination[..x.Length];
        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, d);
        Kernels.Exp(d, d);
        TensorPrimitives.Divide(d, TensorPrimitives.Sum<T>(d), d);
    }

    /// <summary>
    /// Row-wise log-softmax, numerically stable: destination[i, j] = x[i, j] - m_i - ln Σ_k e^(x[i, k] - m_i). A row
    /// holding NaN or +∞ gives NaN, as <see cref="SoftmaxRows{T}"/> does.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The logits, [rows x n].</param>
    /// <param name="destination">The log-probabilities, same shape; may be the same view as <paramref name="x"/>.</param>
    public static void LogSoftmaxRows<T>(ReadOnlyMatrixSpan<T> x, MatrixSpan<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Shape.ThrowIfDifferent(x.Rows, x.Columns, destination.Rows, destination.Columns, nameof(x), nameof(destination));
        SpanChecks.NoPartialOverlap(x, destination, nameof(x));
        for (int i = 0; i < x.Rows; i++)
        {
            LogSoftmax(x.Row(i), destination.Row(i));
        }
    }

    /// <summary>Log-softmax of one row, numerically stable (see <see cref="LogSoftmaxRows{T}"/>).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The logits.</param>
    /// <param name="destination">The log-probabilities; may be <paramref name="x"/>.</param>
    public static void LogSoftmax<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        if (x.IsEmpty)
        {
            return;
        }

        Span<T> d = destination[..x.Length];
        TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), d);
        T logSum = T.Log(SumOfExponentials<T>(d));
        TensorPrimitives.Subtract(d, logSum, d);
    }

    /// <summary>destination[i] = the column index of the largest element of row i (the first one on ties, −0 and +0 tied; the first NaN if the row has one).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The matrix, [rows x n] with n ≥ 1.</param>
    /// <param name="destination">One index per row.</param>
    public static void ArgMaxRows<T>(ReadOnlyMatrixSpan<T> x, Span<int> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Destination(x.Rows, destination.Length);
        if (x.Columns == 0 && x.Rows > 0)
        {
            throw new ArgumentException("An argmax needs at least one column.", nameof(x));
        }

        for (int i = 0; i < x.Rows; i++)
        {
            destination[i] = ArgMax(x.Row(i));
        }
    }

    /// <summary>
    /// The index of the largest element, the first on ties (the first NaN if there is one):
    /// <see cref="TensorPrimitives.IndexOfMax{T}(ReadOnlySpan{T})"/>, except that it ranks +0 above −0, which are equal.
    /// </summary>
    internal static int ArgMax<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int index = TensorPrimitives.IndexOfMax(x);
        if (index > 0 && T.IsZero(x[index]))
        {
            for (int j = 0; j < index; j++)
            {
                if (T.IsZero(x[j]))
                {
                    return j;
                }
            }
        }

        return index;
    }

    /// <summary>Σ e^x[i], through a stack or pooled buffer so that x is left as it is.</summary>
    private static T SumOfExponentials<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int StackLimitBytes = 1024;
        T[]? rented = null;
        Span<T> buffer = x.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() <= StackLimitBytes
            ? stackalloc T[StackLimitBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>()]
            : (rented = ArrayPool<T>.Shared.Rent(x.Length));
        buffer = buffer[..x.Length];
        Kernels.Exp(x, buffer);
        T sum = TensorPrimitives.Sum<T>(buffer);
        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }

        return sum;
    }

    private static void RowLength(int columns, int length, string name)
    {
        if (columns != length)
        {
            throw new ArgumentException($"The matrix has {columns} columns but {name} has {length} elements.", name);
        }
    }
}
