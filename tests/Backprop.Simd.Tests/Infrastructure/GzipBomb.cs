using System.Buffers.Binary;
using System.IO.Compression;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>
/// Consistent IDX files of all-zero images and labels that inflate a thousandfold: one gzip member of a block of
/// zeros, repeated (concatenated members read as one stream), after a member holding the header.
/// </summary>
internal static class GzipBomb
{
    /// <summary>The gzip bytes of an image file [count x rows x columns] and of a label file [count], every byte 0.</summary>
    public static (byte[] Images, byte[] Labels) Create(int count, int rows, int columns) =>
        (File(count, [(uint)count, (uint)rows, (uint)columns], rows * columns), File(count, [(uint)count], 1));

    private static byte[] File(int count, uint[] dimensions, int itemLength)
    {
        var header = new byte[4 + (4 * dimensions.Length)];
        BinaryPrimitives.WriteInt32BigEndian(header, 0x00000800 | dimensions.Length);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4 + (4 * i)), dimensions[i]);
        }

        // Blocks of whole items, so that the repeated member adds up to exactly the declared data.
        int itemsPerBlock = Math.Max(1, (1 << 20) / itemLength);
        while (count % itemsPerBlock != 0)
        {
            itemsPerBlock--;
        }

        byte[] block = Member(new byte[itemsPerBlock * itemLength]);
        using var output = new MemoryStream();
        output.Write(Member(header));
        for (int i = 0; i < count / itemsPerBlock; i++)
        {
            output.Write(block);
        }

        return output.ToArray();
    }

    private static byte[] Member(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }
}
