using System.Diagnostics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// A read-only, allocation-free view of a row-major matrix: <see cref="Rows"/> rows of <see cref="Columns"/>
/// elements, consecutive rows <see cref="Stride"/> elements apart (the BLAS leading dimension).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
[DebuggerDisplay("{ToString(),nq}")]
public readonly ref struct ReadOnlyMatrixSpan<T>
{
    private readonly ReadOnlySpan<T> _span;

    /// <summary>Creates a contiguous view: <paramref name="span"/> holds <c>rows * columns</c> elements or more.</summary>
    /// <param name="span">The elements, row-major.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns.</param>
    public ReadOnlyMatrixSpan(ReadOnlySpan<T> span, int rows, int columns)
        : this(span, rows, columns, columns)
    {
    }

    /// <summary>Creates a strided view: row <c>i</c> starts at <c>span[i * stride]</c>.</summary>
    /// <param name="span">The elements; at least <c>(rows - 1) * stride + columns</c> of them.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns.</param>
    /// <param name="stride">The distance between the starts of consecutive rows; at least <paramref name="columns"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, the stride is smaller than the columns, or the span is too short.</exception>
    public ReadOnlyMatrixSpan(ReadOnlySpan<T> span, int rows, int columns, int stride)
    {
        MatrixSpanChecks.Validate(span.Length, rows, columns, stride);
        _span = span[..(int)Shape.RequiredLength(rows, columns, stride)];
        Rows = rows;
        Columns = columns;
        Stride = stride;
    }

    private ReadOnlyMatrixSpan(ReadOnlySpan<T> span, int rows, int columns, int stride, bool _)
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
    public ReadOnlySpan<T> Span => _span;

    /// <summary>The element at <paramref name="row"/>, <paramref name="column"/>.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column index.</param>
    public ref readonly T this[int row, int column]
    {
        get
        {
            MatrixSpanChecks.CheckIndex(row, column, Rows, Columns);
            return ref _span[(row * Stride) + column];
        }
    }

    /// <summary>The elements of row <paramref name="row"/>.</summary>
    /// <param name="row">The row index.</param>
    public ReadOnlySpan<T> Row(int row)
    {
        MatrixSpanChecks.CheckRow(row, Rows);

        // A view without columns holds no elements at all, so its rows cannot be sliced out of it.
        return Columns == 0 ? default : _span.Slice(row * Stride, Columns);
    }

    /// <summary>A view of rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1, without copying.</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">The number of rows.</param>
    public ReadOnlyMatrixSpan<T> Slice(int start, int count) => Slice(start, count, 0, Columns);

    /// <summary>A view of a block of rows and columns, without copying.</summary>
    /// <param name="rowStart">The first row.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="columnStart">The first column.</param>
    /// <param name="columnCount">The number of columns.</param>
    public ReadOnlyMatrixSpan<T> Slice(int rowStart, int rowCount, int columnStart, int columnCount)
    {
        MatrixSpanChecks.CheckBlock(rowStart, rowCount, columnStart, columnCount, Rows, Columns);
        if (rowCount == 0 || columnCount == 0)
        {
            return new ReadOnlyMatrixSpan<T>(default, rowCount, columnCount, Math.Max(columnCount, 0), true);
        }

        int offset = (rowStart * Stride) + columnStart;
        int length = (int)Shape.RequiredLength(rowCount, columnCount, Stride);
        return new ReadOnlyMatrixSpan<T>(_span.Slice(offset, length), rowCount, columnCount, Stride, true);
    }

    /// <summary>Copies the elements into <paramref name="destination"/>, which must have the same shape.</summary>
    /// <param name="destination">The view to write.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public void CopyTo(MatrixSpan<T> destination)
    {
        Shape.ThrowIfDifferent(Rows, Columns, destination.Rows, destination.Columns, "source", nameof(destination));
        if (IsContiguous && destination.IsContiguous)
        {
            _span.CopyTo(destination.Span);
            return;
        }

        for (int i = 0; i < Rows; i++)
        {
            Row(i).CopyTo(destination.Row(i));
        }
    }

    /// <summary>The shape, for example <c>ReadOnlyMatrixSpan&lt;Single&gt;[3 x 4]</c>.</summary>
    public override string ToString() => $"ReadOnlyMatrixSpan<{typeof(T).Name}>{Shape.Format(Rows, Columns)}";

    internal static ReadOnlyMatrixSpan<T> CreateUnchecked(ReadOnlySpan<T> span, int rows, int columns, int stride) =>
        new(span, rows, columns, stride, true);
}
