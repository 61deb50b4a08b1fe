namespace Backprop.Simd.Numerics.Kernels;

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
    /// A row-wise kernel's input may be its destination view itself (same start, same stride) but must not overlap it
    /// otherwise: a destination shifted by whole rows passes every per-row check yet reads rows already overwritten.
    /// </summary>
    public static void NoPartialOverlap<T>(ReadOnlyMatrixSpan<T> x, MatrixSpan<T> destination, string name)
    {
        if (x.Span.Overlaps(destination.Span, out int offset) && (offset != 0 || x.Stride != destination.Stride))
        {
            throw new ArgumentException($"{name} overlaps the destination at an offset of {offset} elements (strides {x.Stride} and {destination.Stride}); only exact in-place use is allowed.", name);
        }
    }

    /// <summary>A vector read or written while a matrix is (a bias, column sums) must not share any element with it.</summary>
    public static void Disjoint<T>(ReadOnlySpan<T> matrix, ReadOnlySpan<T> vector, string name)
    {
        if (matrix.Overlaps(vector))
        {
            throw new ArgumentException($"{name} overlaps the matrix; it must be separate memory.", name);
        }
    }

    /// <summary>An input may be the destination itself (in place) but must not overlap it at an offset.</summary>
    public static void NoPartialOverlap<T>(ReadOnlySpan<T> input, Span<T> destination, string name)
    {
        if (input.Overlaps(destination, out int offset) && offset != 0)
        {
            throw new ArgumentException($"{name} overlaps the destination at an offset of {offset} elements; only exact in-place use is allowed.", name);
        }
    }
}
