using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// A layer-owned [rows x columns] buffer sized for the largest batch seen: it grows (allocates) only when a batch
/// is larger than every earlier one, so steady-state training and inference allocate nothing.
/// </summary>
internal sealed class BatchBuffer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _array = [];

    public BatchBuffer(int columns)
    {
        Columns = columns;
    }

    public int Columns { get; }

    /// <summary>The first <paramref name="rows"/> rows, contiguous; contents are whatever the last user left.</summary>
    public MatrixSpan<T> Rows(int rows)
    {
        long elements = (long)rows * Columns;
        if (elements > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"A batch of {rows:N0} rows x {Columns:N0} columns is more than an array holds; pass it in chunks (Predict does).");
        }

        int length = (int)elements;
        if (_array.Length < length)
        {
            _array = new T[length];
        }

        return new MatrixSpan<T>(_array.AsSpan(0, length), rows, Columns);
    }
}
