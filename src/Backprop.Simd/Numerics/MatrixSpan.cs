using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Backprop.Simd.Numerics;

/// <summary>
/// A mutable, allocation-free view of a row-major matrix: <see cref="Rows"/> rows of <see cref="Columns"/>
/// elements, consecutive rows <see cref="Stride"/> elements apart (the BLAS leading dimension).
/// A view of a row range of a <see cref="Matrix{T}"/> is contiguous (<c>Stride == Columns</c>); a view of a
/// column range is strided.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
[DebuggerDisplay("{ToString(),nq}")]
public readonly ref struct MatrixSpan<T>
{
    private readonly Span<T> _span;

    /// <summary>Creates a contiguous view: <paramref name="span"/> holds <c>rows * columns</c> elements or more.</summary>
    /// <param name="span">The elements, row-major.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns.</param>
    public MatrixSpan(Span<T> span, int rows, int columns)
        : this(span, rows, columns, columns)
    {
    }

    /// <summary>Creates a strided view: row <c>i</c> starts at <c>span[i * stride]</c>.</summary>
    /// <param name="span">The elements; at least <c>(rows - 1) * stride + columns</c> of them.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns.</param>
    /// <param name="stride">The distance between the starts of consecutive rows; at least <paramref name="columns"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, the stride is smaller than the columns, or the span is too short.</exception>
    public MatrixSpan(Span<T> span, int rows, int columns, int stride)
    {
        MatrixSpanChecks.Validate(span.Length, rows, columns, stride);
        _span = span[..(int)Shape.RequiredLength(rows, columns, stride)];
        Rows = rows;
        Columns = columns;
        Stride = stride;
    }

    private MatrixSpan(Span<T> span, int rows, int columns, int stride, bool _)
    {
        _span = span;
        Rows = rows;
        Columns = columns;
        Stride = stride;
    }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The number of columns.</summary>
    public int Columns { get; }

    /// <summary>The distance, in elements, between the starts of consecutive rows.</summary>
    public int Stride { get; }

    /// <summary><see langword="true"/> when the rows follow each other without gaps.</summary>
    public bool IsContiguous => Stride == Columns || Rows <= 1;

    /// <summary><see langword="true"/> when the view has no elements.</summary>
    public bool IsEmpty => Rows == 0 || Columns == 0;

    /// <summary>
    /// The underlying elements from the first element of the first row to the last element of the last row,
    /// gaps between strided rows included.
    /// </summary>
    public Span<T> Span => _span;

    /// <summary>The element at <paramref name="row"/>, <paramref name="column"/>.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column index.</param>
    public ref T this[int row, int column]
    {
        get
        {
            MatrixSpanChecks.CheckIndex(row, column, Rows, Columns);
            return ref _span[(row * Stride) + column];
        }
    }

    /// <summary>The elements of row <paramref name="row"/>.</summary>
    /// <param name="row">The row index.</param>
    public Span<T> Row(int row)
    {
        MatrixSpanChecks.CheckRow(row, Rows);

        // A view without columns holds no elements at all, so its rows cannot be sliced out of it.
        return Columns == 0 ? default : _span.Slice(row * Stride, Columns);
    }

    /// <summary>A view of rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1, without copying.</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">The number of rows.</param>
    public MatrixSpan<T> Slice(int start, int count) => Slice(start, count, 0, Columns);

    /// <summary>A view of a block of rows and columns, without copying.</summary>
    /// <param name="rowStart">The first row.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="columnStart">The first column.</param>
    /// <param name="columnCount">The number of columns.</param>
    public MatrixSpan<T> Slice(int rowStart, int rowCount, int columnStart, int columnCount)
    {
        MatrixSpanChecks.CheckBlock(rowStart, rowCount, columnStart, columnCount, Rows, Columns);
        if (rowCount == 0 || columnCount == 0)
        {
            return new MatrixSpan<T>(default, rowCount, columnCount, Math.Max(columnCount, 0), true);
        }

        int offset = (rowStart * Stride) + columnStart;
        int length = (int)Shape.RequiredLength(rowCount, columnCount, Stride);
        return new MatrixSpan<T>(_span.Slice(offset, length), rowCount, columnCount, Stride, true);
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    /// <param name="value">The value to store.</param>
    public void Fill(T value)
    {
        if (IsContiguous)
        {
            _span.Fill(value);
            return;
        }

        for (int i = 0; i < Rows; i++)
        {
            Row(i).Fill(value);
        }
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Fill(default!);

    /// <summary>Copies the elements into <paramref name="destination"/>, which must have the same shape.</summary>
    /// <param name="destination">The view to write.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public void CopyTo(MatrixSpan<T> destination) => ((ReadOnlyMatrixSpan<T>)this).CopyTo(destination);

    /// <summary>A read-only view of the same elements.</summary>
    /// <param name="span">The view.</param>
    public static implicit operator ReadOnlyMatrixSpan<T>(MatrixSpan<T> span) =>
        ReadOnlyMatrixSpan<T>.CreateUnchecked(span._span, span.Rows, span.Columns, span.Stride);

    /// <summary>The shape, for example <c>MatrixSpan&lt;Single&gt;[3 x 4]</c>.</summary>
    public override string ToString() => $"MatrixSpan<{typeof(T).Name}>{Shape.Format(Rows, Columns)}";

    internal static MatrixSpan<T> CreateUnchecked(Span<T> span, int rows, int columns, int stride) =>
        new(span, rows, columns, stride, true);
}

/// <summary>Argument checks shared by the matrix views.</summary>
internal static class MatrixSpanChecks
{
    public static void Validate(int spanLength, int rows, int columns, int stride, string spanName = "span")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (stride < columns)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), $"The stride ({stride}) is smaller than the number of columns ({columns}).");
        }

        long required = Shape.RequiredLength(rows, columns, stride);
        if (required > spanLength)
        {
            throw new ArgumentOutOfRangeException(
                spanName,
                $"A {Shape.Format(rows, columns)} view with stride {stride} needs {required} elements but the span has {spanLength}.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckIndex(int row, int column, int rows, int columns)
    {
        if ((uint)row >= (uint)rows || (uint)column >= (uint)columns)
        {
            ThrowIndex(row, column, rows, columns);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckRow(int row, int rows)
    {
        if ((uint)row >= (uint)rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"Row {row} is outside a matrix of {rows} rows.");
        }
    }

    public static void CheckBlock(int rowStart, int rowCount, int columnStart, int columnCount, int rows, int columns)
    {
        if (rowStart < 0 || rowCount < 0 || (long)rowStart + rowCount > rows)
        {
            throw new ArgumentOutOfRangeException(nameof(rowStart), $"Rows {rowStart}..{(long)rowStart + rowCount} are outside a matrix of {rows} rows.");
        }

        if (columnStart < 0 || columnCount < 0 || (long)columnStart + columnCount > columns)
        {
            throw new ArgumentOutOfRangeException(nameof(columnStart), $"Columns {columnStart}..{(long)columnStart + columnCount} are outside a matrix of {columns} columns.");
        }
    }

    private static void ThrowIndex(int row, int column, int rows, int columns) =>
        throw new ArgumentOutOfRangeException((uint)row < (uint)rows ? nameof(column) : nameof(row), $"Index ({row}, {column}) is outside a {Shape.Format(rows, columns)} matrix.");
}
