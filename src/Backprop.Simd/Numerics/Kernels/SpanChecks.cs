namespace Backprop.Simd.Numerics;

/// <summary>The argument rules every span kernel shares: equal input lengths, a long enough destination, and no partial overlap.</summary>
internal static class SpanChecks
{
    public static void Unary<T>(ReadOnlySpan<T> x, Span<T> destination)
    {
        Destination(x.Length, destination.Length);
        NoPartialOverlap(x, destination, nameof(x));
    }

    public static void Binary<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
    {
        SameLength(x.Length, y.Length);
        Destination(x.Length, destination.Length);
        NoPartialOverlap(x, destination, nameof(x));
        NoPartialOverlap(y, destination, nameof(y));
    }

    public static void SameLength(int x, int y)
    {
        if (x != y)
        {
            throw new ArgumentException($"The inputs differ in length: x has {x} elements, y has {y}.", nameof(y));
        }
    }

    public static void Destination(int required, int actual, string name = "destination")
    {
        if (actual < required)
        {
            throw new ArgumentException($"The {name} has {actual} elements; {required} are needed.", name);
        }
    }

    /// <summary>
    /// A row-wise kernel's input may be its destination view itself (same start, same stride) but must not share an
    /// element with it otherwise: a destination shifted by whole rows passes every per-row check yet reads rows already
    /// overwritten. Views of interleaved column blocks of one array share no element and are fine.
    /// </summary>
    public static void NoPartialOverlap<T>(ReadOnlyMatrixSpan<T> x, MatrixSpan<T> destination, string name)
    {
        if (!x.Span.Overlaps(destination.Span, out int offset) || (offset == 0 && x.Stride == destination.Stride))
        {
            return;
        }

        for (int j = 0; j < destination.Rows; j++)
        {
            if (HitsRows(offset + ((long)j * destination.Stride), destination.Columns, x.Rows, x.Columns, x.Stride))
            {
                throw new ArgumentException($"{name} shares elements with the destination (row {j} of the destination, an offset of {offset} elements); only exact in-place use is allowed.", name);
            }
        }
    }

    /// <summary>A vector read or written while a matrix is (a bias, column sums) must not share any element with it.</summary>
    public static void Disjoint<T>(ReadOnlyMatrixSpan<T> matrix, ReadOnlySpan<T> vector, string name)
    {
        if (matrix.Span.Overlaps(vector, out int offset) && HitsRows(offset, vector.Length, matrix.Rows, matrix.Columns, matrix.Stride))
        {
            throw new ArgumentException($"{name} shares elements with the matrix; it must be separate memory.", name);
        }
    }

    /// <summary>
    /// Whether elements [start, start + length) (relative to a matrix view's first element) meet one of its rows, which
    /// cover [i·stride, i·stride + columns) for i in [0, rows): the rows i with i·stride &lt; start + length and
    /// start &lt; i·stride + columns form a range, which is checked for being empty.
    /// </summary>
    private static bool HitsRows(long start, int length, int rows, int columns, int stride)
    {
        if (length == 0 || rows == 0 || columns == 0)
        {
            return false;
        }

        long first = Math.Max(0, FloorDivide(start - columns, stride) + 1);
        long last = Math.Min(rows - 1, FloorDivide(start + length - 1, stride));
        return first <= last;
    }

    private static long FloorDivide(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>An input may be the destination itself (in place) but must not overlap it at an offset.</summary>
    public static void NoPartialOverlap<T>(ReadOnlySpan<T> input, Span<T> destination, string name)
    {
        if (input.Overlaps(destination, out int offset) && offset != 0)
        {
            throw new ArgumentException($"{name} overlaps the destination at an offset of {offset} elements; only exact in-place use is allowed.", name);
        }
    }
}
