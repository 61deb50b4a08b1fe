using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace Backprop.Simd.Data;

/// <summary>
/// Reads IDX files of unsigned bytes (the MNIST format), plain or gzip-compressed (recognised by the gzip
/// signature 1F 8B), and checks every part of them before trusting it.
/// </summary>
/// <remarks>
/// <para>
/// The reader checks the magic number, the element type (0x08, unsigned byte, is the only one supported), the number
/// of dimensions and the sizes before it allocates anything: the product of the sizes must not overflow, must stay
/// within <see cref="MaxDataLength"/>, and must equal the number of bytes that follow the header, no more and no
/// fewer. For a plain seekable stream the remaining length is compared up front. For gzip and other unseekable
/// streams, whose length is not known up front, the data is read in bounded chunks into a buffer that grows with
/// the bytes actually received and never beyond the declared size, so a file that declares gigabytes but holds a
/// few bytes costs a few kilobytes.
/// </para>
/// <para>
/// A malformed file, whether truncated, oversized, lying about its sizes or not IDX at all, raises
/// <see cref="InvalidDataException"/> whose message names the file, the problem and the byte offset (in the
/// decompressed content for gzip files). I/O failures of the underlying stream propagate unchanged.
/// </para>
/// <para>
/// For gzip the decompressor (<see cref="GZipStream"/>) checks the CRC-32 and length in the gzip trailer when it is
/// present; concatenated gzip members are read as one stream, and the runtime ignores a truncated trailer and bytes
/// after the last member that do not start another one. The IDX content itself is always checked in full.
/// </para>
/// </remarks>
public static class IdxReader
{
    /// <summary>The most dimensions a file may declare.</summary>
    public const int MaxRank = IdxFormat.MaxRank;

    private const int InitialChunkLength = 64 * 1024;

    /// <summary>The largest number of data bytes a file may declare (the longest byte array .NET can allocate, just under 2^31).</summary>
    public static long MaxDataLength => IdxFormat.MaxDataLength;

    /// <summary>Reads an IDX file of any rank.</summary>
    /// <param name="path">The file, plain or gzip.</param>
    /// <returns>The dimensions and the data.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid IDX file of unsigned bytes.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static IdxArray Read(string path) => ReadFile(path, "IDX file", expectedMagic: 0);

    /// <summary>Reads an IDX stream of any rank, from its current position to its end.</summary>
    /// <param name="stream">The stream, plain or gzip; left open.</param>
    /// <param name="name">A name for error messages, for example a file name; optional.</param>
    /// <returns>The dimensions and the data.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid IDX file of unsigned bytes.</exception>
    public static IdxArray Read(Stream stream, string? name = null) => ReadStream(stream, "IDX", name, expectedMagic: 0);

    /// <summary>Reads an image file: magic 0x00000803, dimensions [count x rows x columns].</summary>
    /// <param name="path">The file, plain or gzip.</param>
    /// <returns>The images, one item per image.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid three-dimensional IDX file of unsigned bytes.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static IdxArray ReadImages(string path) => ReadFile(path, "images file", IdxFormat.ImagesMagic);

    /// <summary>Reads an image stream: magic 0x00000803, dimensions [count x rows x columns].</summary>
    /// <param name="stream">The stream, plain or gzip; left open.</param>
    /// <param name="name">A name for error messages; optional.</param>
    /// <returns>The images, one item per image.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid three-dimensional IDX file of unsigned bytes.</exception>
    public static IdxArray ReadImages(Stream stream, string? name = null) => ReadStream(stream, "images", name, IdxFormat.ImagesMagic);

    /// <summary>Reads a label file: magic 0x00000801, dimensions [count].</summary>
    /// <param name="path">The file, plain or gzip.</param>
    /// <returns>The labels, one byte each.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid one-dimensional IDX file of unsigned bytes.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static IdxArray ReadLabels(string path) => ReadFile(path, "labels file", IdxFormat.LabelsMagic);

    /// <summary>Reads a label stream: magic 0x00000801, dimensions [count].</summary>
    /// <param name="stream">The stream, plain or gzip; left open.</param>
    /// <param name="name">A name for error messages; optional.</param>
    /// <returns>The labels, one byte each.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid one-dimensional IDX file of unsigned bytes.</exception>
    public static IdxArray ReadLabels(Stream stream, string? name = null) => ReadStream(stream, "labels", name, IdxFormat.LabelsMagic);

    private static IdxArray ReadFile(string path, string kind, int expectedMagic)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return ReadCore(stream, $"{kind} '{path}'", expectedMagic);
    }

    private static IdxArray ReadStream(Stream stream, string kind, string? name, int expectedMagic)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        return ReadCore(stream, name is null ? $"{kind} stream" : $"{kind} stream '{name}'", expectedMagic);
    }

    private static IdxArray ReadCore(Stream stream, string what, int expectedMagic)
    {
        Span<byte> signature = stackalloc byte[2];
        int got = ReadAtMost(stream, signature, what, compressed: false, 0);
        if (got == 0)
        {
            throw new InvalidDataException($"{what}: the file is empty; an IDX file starts with a 4-byte magic number such as 0x00000803.");
        }

        if (got == 2 && signature[0] == 0x1F && signature[1] == 0x8B)
        {
            using var gzip = new GZipStream(new ReplayStream(stream, [0x1F, 0x8B]), CompressionMode.Decompress, leaveOpen: true);
            return ReadContent(gzip, ReadOnlySpan<byte>.Empty, remaining: null, what + " (gzip)", compressed: true, expectedMagic);
        }

        long? remaining = null;
        if (stream.CanSeek)
        {
            remaining = stream.Length - stream.Position;
        }

        return ReadContent(stream, signature[..got], remaining, what, compressed: false, expectedMagic);
    }

    /// <summary>Reads the header and data; <paramref name="consumed"/> holds the first bytes already read from <paramref name="source"/>.</summary>
    private static IdxArray ReadContent(Stream source, ReadOnlySpan<byte> consumed, long? remaining, string what, bool compressed, int expectedMagic)
    {
        string at = compressed ? "decompressed offset" : "offset";

        // Magic number: 0x00 0x00 type rank.
        Span<byte> magic = stackalloc byte[4];
        consumed.CopyTo(magic);
        int magicLength = consumed.Length + ReadAtMost(source, magic[consumed.Length..], what, compressed, consumed.Length);
        if (magicLength < 4)
        {
            throw new InvalidDataException($"{what}: the header is truncated: the file ends at {at} {magicLength}, inside the 4-byte magic number.");
        }

        int magicValue = BinaryPrimitives.ReadInt32BigEndian(magic);
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new InvalidDataException(
                $"{what}: bad magic number 0x{magicValue:X8} at {at} 0; an IDX file starts with 0x0000TTDD (0x00000803 for images, 0x00000801 for labels).");
        }

        byte typeCode = magic[2];
        if (typeCode != IdxFormat.UnsignedByte)
        {
            throw new InvalidDataException(
                $"{what}: element type code {IdxFormat.DescribeTypeCode(typeCode)} at {at} 2 (magic 0x{magicValue:X8}) is not supported; only 0x08 (unsigned byte) is.");
        }

        int rank = magic[3];
        if (rank == 0)
        {
            throw new InvalidDataException($"{what}: the header declares 0 dimensions at {at} 3 (magic 0x{magicValue:X8}); an IDX file has at least 1.");
        }

        if (rank > IdxFormat.MaxRank)
        {
            throw new InvalidDataException($"{what}: the header declares {rank} dimensions at {at} 3 (magic 0x{magicValue:X8}); at most {IdxFormat.MaxRank} are supported.");
        }

        if (expectedMagic != 0 && magicValue != expectedMagic)
        {
            int expectedRank = expectedMagic & 0xFF;
            string shape = expectedRank == 3 ? "count x rows x columns" : "count";
            throw new InvalidDataException(
                $"{what}: expected {expectedRank} dimension{(expectedRank == 1 ? string.Empty : "s")} ({shape}, magic 0x{expectedMagic:X8}) but the header declares {rank} (magic 0x{magicValue:X8}).");
        }

        // Dimension sizes: big-endian int32 each.
        int headerLength = IdxFormat.HeaderLength(rank);
        Span<byte> sizeBytes = stackalloc byte[4 * IdxFormat.MaxRank];
        sizeBytes = sizeBytes[..(4 * rank)];
        int sizesRead = ReadAtMost(source, sizeBytes, what, compressed, 4);
        if (sizesRead < sizeBytes.Length)
        {
            throw new InvalidDataException(
                $"{what}: the header is truncated: {rank} dimension{(rank == 1 ? string.Empty : "s")} need {headerLength} header bytes but the file ends at {at} {4 + sizesRead}.");
        }

        Span<int> dimensions = stackalloc int[rank];
        for (int i = 0; i < rank; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(sizeBytes.Slice(4 * i, 4));
            if (size > int.MaxValue)
            {
                throw new InvalidDataException(
                    $"{what}: dimension {i} has size {size} (0x{size:X8}) at {at} {4 + (4 * i)}, more than the largest allowed size {int.MaxValue}.");
            }

            dimensions[i] = (int)size;
        }

        string? problem = IdxFormat.CheckShape(dimensions, out long length);
        if (problem is not null)
        {
            throw new InvalidDataException($"{what}: the sizes in the header ({at} 4..{headerLength - 1}) are too large: {problem}.");
        }

        string sizes = IdxFormat.DescribeSizes(dimensions);
        byte[] data = remaining is long known
            ? ReadKnownLength(source, known - (4 - consumed.Length) - (4 * rank), length, headerLength, sizes, what)
            : ReadBounded(source, length, headerLength, sizes, what, compressed);
        return new IdxArray(dimensions, data);
    }

    /// <summary>Reads a plain, seekable stream whose remaining length after the header is <paramref name="available"/>.</summary>
    private static byte[] ReadKnownLength(Stream source, long available, long length, int headerLength, string sizes, string what)
    {
        if (available < length)
        {
            throw new InvalidDataException($"{what}: declared {sizes} but only {available} follow the header at offset {headerLength}.");
        }

        if (available > length)
        {
            throw new InvalidDataException(
                $"{what}: declared {sizes} but {available} follow the header at offset {headerLength}: {available - length} bytes of trailing data start at offset {headerLength + length}.");
        }

        byte[] data = length == 0 ? [] : new byte[length];
        int filled = ReadAtMost(source, data, what, compressed: false, headerLength);
        if (filled < data.Length)
        {
            throw new InvalidDataException($"{what}: declared {sizes} but the data ends after {filled} bytes, at offset {headerLength + filled}.");
        }

        return data;
    }

    /// <summary>Reads a stream of unknown length in chunks, never holding more than the declared length, then checks that it ends there.</summary>
    private static byte[] ReadBounded(Stream source, long length, int headerLength, string sizes, string what, bool compressed)
    {
        string at = compressed ? "decompressed offset" : "offset";
        byte[] data = new byte[Math.Min(length, InitialChunkLength)];
        int filled = 0;
        while (filled < length)
        {
            if (filled == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(length, 2L * data.Length));
            }

            int n = ReadSome(source, data.AsSpan(filled), what, compressed, headerLength + filled);
            if (n == 0)
            {
                throw new InvalidDataException($"{what}: declared {sizes} but only {filled} follow the header at {at} {headerLength}; the data ends at {at} {headerLength + filled}.");
            }

            filled += n;
        }

        Span<byte> probe = stackalloc byte[1];
        if (ReadSome(source, probe, what, compressed, headerLength + length) != 0)
        {
            throw new InvalidDataException(
                $"{what}: declared {sizes}, which end at {at} {headerLength + length}, but trailing data follows there.");
        }

        return data;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the number of bytes read.</summary>
    private static int ReadAtMost(Stream source, Span<byte> buffer, string what, bool compressed, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = ReadSome(source, buffer[total..], what, compressed, offset + total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <summary>One read; a corrupt gzip stream becomes an <see cref="InvalidDataException"/> that names the file and offset.</summary>
    private static int ReadSome(Stream source, Span<byte> buffer, string what, bool compressed, long offset)
    {
        if (!compressed)
        {
            return source.Read(buffer);
        }

        try
        {
            return source.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"{what}: the gzip stream is corrupt (detected while reading at decompressed offset {offset.ToString(CultureInfo.InvariantCulture)}): {e.Message}", e);
        }
    }
}
