using System.Globalization;

namespace Backprop.Simd.Data;

/// <summary>
/// The content of an IDX file of unsigned bytes: its dimensions and its elements, row-major (the last dimension
/// varies fastest). An image file holds [count x rows x columns], a label file [count].
/// </summary>
public sealed class IdxArray
{
    private readonly int[] _dimensions;

    /// <summary>Creates an array over <paramref name="data"/> (not copied).</summary>
    /// <param name="dimensions">1 to 16 non-negative sizes.</param>
    /// <param name="data">Exactly the product of the sizes in bytes, row-major.</param>
    /// <exception cref="ArgumentException">The shape is invalid or does not match the length of <paramref name="data"/>.</exception>
    public IdxArray(ReadOnlySpan<int> dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        string? problem = IdxFormat.CheckShape(dimensions, out long length);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid IDX shape: {problem}.", nameof(dimensions));
        }

        if (length != data.Length)
        {
            throw new ArgumentException($"The shape {IdxFormat.DescribeSizes(dimensions)} does not match the {data.Length} bytes given.", nameof(data));
        }

        _dimensions = dimensions.ToArray();
        Data = data;
        ItemLength = Count == 0 ? ProductAfterFirst(dimensions) : data.Length / Count;
    }

    /// <summary>The size of each dimension, outermost first.</summary>
    public ReadOnlySpan<int> Dimensions => _dimensions;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dimensions.Length;

    /// <summary>The number of items: the size of the first dimension.</summary>
    public int Count => _dimensions[0];

    /// <summary>The number of bytes in one item: the product of all dimensions but the first (1 for a one-dimensional array).</summary>
    public int ItemLength { get; }

    /// <summary>All elements, row-major.</summary>
    public byte[] Data { get; }

    /// <summary>The bytes of item <paramref name="index"/> (for an image file, one image row after row).</summary>
    /// <param name="index">The item index.</param>
    /// <returns>A span of <see cref="ItemLength"/> bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, <see cref="Count"/>).</exception>
    public ReadOnlySpan<byte> GetItem(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Item index {index} is outside [0, {Count}).");
        }

        return Data.AsSpan(index * ItemLength, ItemLength);
    }

    /// <summary>The shape, for example <c>IdxArray[60000 x 28 x 28]</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        "IdxArray[" + string.Join(" x ", _dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static int ProductAfterFirst(ReadOnlySpan<int> dimensions)
    {
        int product = 1;
        for (int i = 1; i < dimensions.Length; i++)
        {
            product *= dimensions[i];
        }

        return product;
    }
}
