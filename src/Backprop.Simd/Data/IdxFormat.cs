using System.Globalization;
using System.Numerics;
using System.Text;

namespace Backprop.Simd.Data;

/// <summary>
/// The IDX file format (LeCun's MNIST format): a big-endian 32-bit magic number 0x0000TTDD, where TT is the
/// element type code and DD the number of dimensions, then DD big-endian 32-bit dimension sizes, then the elements
/// row-major. This library reads and writes the unsigned-byte type (0x08) only.
/// </summary>
internal static class IdxFormat
{
    /// <summary>The type code of unsigned bytes, the only one supported.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>The magic number of an image file: unsigned bytes, three dimensions (count x rows x columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number of a label file: unsigned bytes, one dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>The most dimensions a file may declare (the format allows 255; no real data set needs more than a few).</summary>
    public const int MaxRank = 16;

    /// <summary>The largest number of data bytes a file may declare: the longest byte array .NET allocates.</summary>
    public static long MaxDataLength => Array.MaxLength;

    /// <summary>The length of the header of a file with <paramref name="rank"/> dimensions.</summary>
    public static int HeaderLength(int rank) => 4 + (4 * rank);

    /// <summary>A description of a type code for messages, for example "0x0D (32-bit float)".</summary>
    public static string DescribeTypeCode(byte code)
    {
        string hex = "0x" + code.ToString("X2", CultureInfo.InvariantCulture);
        return code switch
        {
            0x08 => hex + " (unsigned byte)",
            0x09 => hex + " (signed byte)",
            0x0B => hex + " (16-bit integer)",
            0x0C => hex + " (32-bit integer)",
            0x0D => hex + " (32-bit float)",
            0x0E => hex + " (64-bit float)",
            _ => hex + " (not an IDX type code)",
        };
    }

    /// <summary>Formats dimensions and their product, for example "60000 x 28 x 28 = 47040000 bytes".</summary>
    public static string DescribeSizes(ReadOnlySpan<int> dimensions)
    {
        var builder = new StringBuilder();
        BigInteger product = BigInteger.One;
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(" x ");
            }

            builder.Append(dimensions[i].ToString(CultureInfo.InvariantCulture));
            product *= dimensions[i];
        }

        builder.Append(" = ").Append(product.ToString(CultureInfo.InvariantCulture)).Append(" bytes");
        return builder.ToString();
    }

    /// <summary>
    /// Checks a shape: 1 to <see cref="MaxRank"/> non-negative sizes whose product, and the product of all but the
    /// first, stay within <see cref="MaxDataLength"/>.
    /// </summary>
    /// <returns>null when valid, else the problem.</returns>
    public static string? CheckShape(ReadOnlySpan<int> dimensions, out long dataLength)
    {
        dataLength = 0;
        if (dimensions.Length is 0 or > MaxRank)
        {
            return $"{dimensions.Length} dimensions; an IDX array has 1 to {MaxRank}";
        }

        // Saturating products: once past the limit they stay there, so nothing overflows.
        long itemLength = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] < 0)
            {
                return $"dimension {i} has negative size {dimensions[i]}";
            }

            if (i > 0)
            {
                itemLength = Math.Min(itemLength * dimensions[i], MaxDataLength + 1);
            }
        }

        long total = Math.Min((long)dimensions[0] * itemLength, MaxDataLength + 1);
        if (total > MaxDataLength)
        {
            return $"{DescribeSizes(dimensions)} exceed the limit of {MaxDataLength} bytes";
        }

        if (itemLength > MaxDataLength)
        {
            // Zero items of an impossible size: no data, but no valid item length either.
            return $"{DescribeSizes(dimensions)}, but each item alone exceeds the limit of {MaxDataLength} bytes";
        }

        dataLength = total;
        return null;
    }
}
