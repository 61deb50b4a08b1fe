namespace Backprop.Simd.Numerics;

/// <summary>Formats and checks matrix shapes so that every mismatch names both sides.</summary>
internal static class Shape
{
    public static string Format(int rows, int columns) => $"[{rows} x {columns}]";

    /// <summary>Throws <see cref="ArgumentException"/> naming both shapes unless they are equal.</summary>
    public static void ThrowIfDifferent(int rows, int columns, int otherRows, int otherColumns, string name, string otherName)
    {
        if (rows != otherRows || columns != otherColumns)
        {
            throw new ArgumentException(
                $"Shape mismatch: {name} is {Format(rows, columns)} but {otherName} is {Format(otherRows, otherColumns)}.",
                otherName);
        }
    }

    /// <summary>Throws unless <paramref name="rows"/> and <paramref name="columns"/> are non-negative and their product fits an <see cref="int"/>.</summary>
    public static void ThrowIfInvalid(int rows, int columns, string rowsName = "rows", string columnsName = "columns")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows, rowsName);
        ArgumentOutOfRangeException.ThrowIfNegative(columns, columnsName);
        if ((long)rows * columns > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(rowsName, $"A {Format(rows, columns)} matrix has more elements than an array can hold.");
        }
    }

    /// <summary>The number of elements a strided view of the given shape spans: (rows - 1) * stride + columns, or 0 when empty.</summary>
    public static long RequiredLength(int rows, int columns, int stride) =>
        rows == 0 || columns == 0 ? 0 : (long)(rows - 1) * stride + columns;
}
