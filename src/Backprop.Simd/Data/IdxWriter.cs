using System.Buffers.Binary;
using System.IO.Compression;
using Backprop.Simd.IO;

namespace Backprop.Simd.Data;

/// <summary>Writes IDX files of unsigned bytes (the MNIST format), plain or gzip-compressed.</summary>
public static class IdxWriter
{
    /// <summary>Writes <paramref name="array"/> to <paramref name="destination"/> at its current position.</summary>
    /// <param name="destination">The stream; left open.</param>
    /// <param name="array">The dimensions and data.</param>
    /// <param name="compression">Plain IDX or gzip.</param>
    public static void Write(Stream destination, IdxArray array, IdxCompression compression = IdxCompression.None)
    {
        ArgumentNullException.ThrowIfNull(array);
        Write(destination, array.Dimensions, array.Data, compression);
    }

    /// <summary>Writes an IDX file with the given dimensions and data to <paramref name="destination"/> at its current position.</summary>
    /// <param name="destination">The stream; left open.</param>
    /// <param name="dimensions">1 to 16 non-negative sizes, outermost first; the magic number is 0x000008DD with DD their count.</param>
    /// <param name="data">Exactly the product of the sizes in bytes, row-major.</param>
    /// <param name="compression">Plain IDX or gzip.</param>
    /// <exception cref="ArgumentException">The shape is invalid or does not match the length of <paramref name="data"/>.</exception>
    public static void Write(Stream destination, ReadOnlySpan<int> dimensions, ReadOnlySpan<byte> data, IdxCompression compression = IdxCompression.None)
    {
        ArgumentNullException.ThrowIfNull(destination);
        string? problem = IdxFormat.CheckShape(dimensions, out long length);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid IDX shape: {problem}.", nameof(dimensions));
        }

        if (length != data.Length)
        {
            throw new ArgumentException($"The shape {IdxFormat.DescribeSizes(dimensions)} does not match the {data.Length} bytes given.", nameof(data));
        }

        Span<byte> header = stackalloc byte[IdxFormat.HeaderLength(IdxFormat.MaxRank)];
        header = header[..IdxFormat.HeaderLength(dimensions.Length)];
        BinaryPrimitives.WriteInt32BigEndian(header, (IdxFormat.UnsignedByte << 8) | dimensions.Length);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.Slice(4 + (4 * i), 4), dimensions[i]);
        }

        switch (compression)
        {
            case IdxCompression.None:
                destination.Write(header);
                destination.Write(data);
                break;
            case IdxCompression.Gzip:
                using (var gzip = new GZipStream(destination, CompressionLevel.Optimal, leaveOpen: true))
                {
                    gzip.Write(header);
                    gzip.Write(data);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown IDX compression.");
        }
    }

    /// <summary>Writes <paramref name="array"/> to a file, gzip-compressed when the name ends with ".gz", plain otherwise.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="array">The dimensions and data.</param>
    public static void Write(string path, IdxArray array)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Write(path, array, path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? IdxCompression.Gzip : IdxCompression.None);
    }

    /// <summary>
    /// Writes <paramref name="array"/> to a file atomically: the arguments are checked first, then the file is written
    /// beside the target and renamed over it, so a failure (a full disk, a killed process) leaves any file that was
    /// there as it was. Only a regular file or a new name is written to; a symbolic link is written through.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="array">The dimensions and data.</param>
    /// <param name="compression">Plain IDX or gzip.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="compression"/> is not a defined value.</exception>
    /// <exception cref="IOException">The file cannot be written or is not a regular file; any old file is unchanged.</exception>
    public static void Write(string path, IdxArray array, IdxCompression compression)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(array);
        if (!Enum.IsDefined(compression))
        {
            throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown IDX compression.");
        }

        using AtomicFile file = AtomicFile.Create(path);
        Write(file.Stream, array, compression);
        file.Commit();
    }
}
