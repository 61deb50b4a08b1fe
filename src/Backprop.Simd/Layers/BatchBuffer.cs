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
        int length = checked(rows * Columns);
        if (_array.Length < length)
        {
            _array = new T[length];
        }

        return new MatrixSpan<T>(_array.AsSpan(0, length), rows, Columns);
    }
}
