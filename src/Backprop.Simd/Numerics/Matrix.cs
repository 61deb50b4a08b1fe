using System.Diagnostics;
using System.Numerics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// A dense, row-major matrix of <see cref="float"/> or <see cref="double"/>: <see cref="Rows"/> rows of
/// <see cref="Columns"/> contiguous elements.
/// </summary>
/// <remarks>
/// A matrix either owns its array or is a view of a range of rows of another matrix (<see cref="GetRows"/>), in
/// which case both share the elements. For allocation-free views use <see cref="AsMatrixSpan"/> and
/// <see cref="Slice"/>, which return <see cref="MatrixSpan{T}"/>.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class Matrix<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _array;
    private readonly int _offset;

    /// <summary>Creates a zero-filled matrix.</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or the matrix is too large.</exception>
    public Matrix(int rows, int columns)
    {
        ElementType<T>.ThrowIfNotSupported();
        Shape.ThrowIfInvalid(rows, columns);
        _array = new T[rows * columns];
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Creates a matrix that copies <paramref name="values"/>, given row by row.</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns.</param>
    /// <param name="values">Exactly <c>rows * columns</c> elements.</param>
    /// <exception cref="ArgumentException">The number of values does not match the shape.</exception>
    public Matrix(int rows, int columns, ReadOnlySpan<T> values)
        : this(rows, columns)
    {
        if (values.Length != _array.Length)
        {
            throw new ArgumentException($"A {Shape.Format(rows, columns)} matrix needs {_array.Length} values but {values.Length} were given.", nameof(values));
        }

        values.CopyTo(_array);
    }

    /// <summary>Creates a matrix that copies a two-dimensional array.</summary>
    /// <param name="values">The elements; <c>values[i, j]</c> becomes row i, column j.</param>
    public Matrix(T[,] values)
        : this(values?.GetLength(0) ?? throw new ArgumentNullException(nameof(values)), values.GetLength(1))
    {
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Columns; j++)
            {
                _array[(i * Columns) + j] = values[i, j];
            }
        }
    }

    private Matrix(T[] array, int offset, int rows, int columns)
    {
        _array = array;
        _offset = offset;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>
    /// Wraps <paramref name="array"/> without copying: the matrix uses elements
    /// <paramref name="offset"/> .. <paramref name="offset"/> + rows * columns - 1, and writes through to the array.
    /// </summary>
    /// <param name="array">The storage.</param>
    /// <param name="offset">The index of element (0, 0).</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns.</param>
    /// <returns>A matrix over the array.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit the array.</exception>
    public static Matrix<T> Wrap(T[] array, int offset, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(array);
        ElementType<T>.ThrowIfNotSupported();
        Shape.ThrowIfInvalid(rows, columns);
        if (offset < 0 || (long)offset + ((long)rows * columns) > array.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"A {Shape.Format(rows, columns)} matrix at offset {offset} does not fit an array of {array.Length} elements.");
        }

        return new Matrix<T>(array, offset, rows, columns);
    }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The backing array (shared with views of this matrix).</summary>
    internal T[] Array => _array;

    /// <summary>The index of element (0, 0) in <see cref="Array"/>.</summary>
    internal int Offset => _offset;

    /// <summary>The number of columns.</summary>
    public int Columns { get; }

    /// <summary>The number of elements, <c>Rows * Columns</c>.</summary>
    public int Length => Rows * Columns;

    /// <summary>The element at <paramref name="row"/>, <paramref name="column"/>.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column index.</param>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the matrix.</exception>
    public ref T this[int row, int column]
    {
        get
        {
            MatrixSpanChecks.CheckIndex(row, column, Rows, Columns);
            return ref _array[_offset + (row * Columns) + column];
        }
    }

    /// <summary>All elements, row after row.</summary>
    /// <returns>A span over the storage.</returns>
    public Span<T> AsSpan() => _array.AsSpan(_offset, Length);

    /// <summary>All elements, row after row, as <see cref="Memory{T}"/> (for asynchronous or deferred use).</summary>
    /// <returns>A memory over the storage.</returns>
    public Memory<T> AsMemory() => _array.AsMemory(_offset, Length);

    /// <summary>The elements of row <paramref name="row"/>.</summary>
    /// <param name="row">The row index.</param>
    /// <returns>A span over the row.</returns>
    public Span<T> Row(int row)
    {
        MatrixSpanChecks.CheckRow(row, Rows);
        return _array.AsSpan(_offset + (row * Columns), Columns);
    }

    /// <summary>An allocation-free view of the whole matrix.</summary>
    /// <returns>The view.</returns>
    public MatrixSpan<T> AsMatrixSpan() => MatrixSpan<T>.CreateUnchecked(AsSpan(), Rows, Columns, Columns);

    /// <summary>An allocation-free view of <paramref name="count"/> rows starting at <paramref name="start"/>.</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">The number of rows.</param>
    /// <returns>The view.</returns>
    public MatrixSpan<T> Slice(int start, int count) => AsMatrixSpan().Slice(start, count);

    /// <summary>A matrix that shares the elements of <paramref name="count"/> rows starting at <paramref name="start"/> (no copy).</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">The number of rows.</param>
    /// <returns>The view, a new <see cref="Matrix{T}"/> object over the same storage.</returns>
    public Matrix<T> GetRows(int start, int count)
    {
        MatrixSpanChecks.CheckBlock(start, count, 0, Columns, Rows, Columns);
        return new Matrix<T>(_array, _offset + (start * Columns), count, Columns);
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public void Fill(T value) => AsSpan().Fill(value);

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => AsSpan().Clear();

    /// <summary>Copies the elements into <paramref name="destination"/>, which must have the same shape.</summary>
    /// <param name="destination">The matrix to write.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public void CopyTo(Matrix<T> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Shape.ThrowIfDifferent(Rows, Columns, destination.Rows, destination.Columns, "source", nameof(destination));
        AsSpan().CopyTo(destination.AsSpan());
    }

    /// <summary>A new matrix with a copy of the elements.</summary>
    /// <returns>The copy.</returns>
    public Matrix<T> Clone() => new(Rows, Columns, AsSpan());

    /// <summary>The elements as a new two-dimensional array.</summary>
    /// <returns>The array.</returns>
    public T[,] ToArray()
    {
        var result = new T[Rows, Columns];
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Columns; j++)
            {
                result[i, j] = this[i, j];
            }
        }

        return result;
    }

    /// <summary>Fills the matrix with values uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="random">The generator.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound.</param>
    public void InitializeUniform(SeededRandom random, T low, T high)
    {
        ArgumentNullException.ThrowIfNull(random);
        random.FillUniform(AsSpan(), low, high);
    }

    /// <summary>Fills the matrix with normal deviates.</summary>
    /// <param name="random">The generator.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="standardDeviation">The standard deviation.</param>
    public void InitializeNormal(SeededRandom random, T mean, T standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(random);
        random.FillNormal(AsSpan(), mean, standardDeviation);
    }

    /// <summary>
    /// Glorot (Xavier) uniform initialisation for a weight matrix of shape [fan-in x fan-out]:
    /// uniform in ±sqrt(6 / (Rows + Columns)).
    /// </summary>
    /// <param name="random">The generator.</param>
    public void InitializeGlorotUniform(SeededRandom random)
    {
        T limit = T.CreateChecked(Math.Sqrt(6.0 / Math.Max(1, Rows + Columns)));
        InitializeUniform(random, -limit, limit);
    }

    /// <summary>He (Kaiming) normal initialisation for a weight matrix of shape [fan-in x fan-out]: normal with standard deviation sqrt(2 / Rows).</summary>
    /// <param name="random">The generator.</param>
    public void InitializeHeNormal(SeededRandom random) =>
        InitializeNormal(random, T.Zero, T.CreateChecked(Math.Sqrt(2.0 / Math.Max(1, Rows))));

    /// <summary>An allocation-free view of the whole matrix.</summary>
    /// <param name="matrix">The matrix.</param>
    public static implicit operator MatrixSpan<T>(Matrix<T> matrix) =>
        (matrix ?? throw new ArgumentNullException(nameof(matrix))).AsMatrixSpan();

    /// <summary>An allocation-free read-only view of the whole matrix.</summary>
    /// <param name="matrix">The matrix.</param>
    public static implicit operator ReadOnlyMatrixSpan<T>(Matrix<T> matrix) =>
        (matrix ?? throw new ArgumentNullException(nameof(matrix))).AsMatrixSpan();

    /// <summary>The type and shape, for example <c>Matrix&lt;Single&gt;[3 x 4]</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"Matrix<{typeof(T).Name}>{Shape.Format(Rows, Columns)}";
}
