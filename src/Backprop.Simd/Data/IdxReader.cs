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
/// With <see cref="IdxReadLimits"/> only the first items are kept, and items larger than a limit are refused before
/// any data is read; the rest of the file is streamed through a small buffer and checked as above, so memory follows
/// what is kept (the kept bytes plus about 64 KiB) whatever the file declares or a gzip stream inflates to.
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

    private static readonly IdxReadLimits s_countOnly = new() { MaxCount = 0 };
    private static readonly IdxReadLimits s_headerOnly = new() { MaxCount = 0 };

    /// <summary>The largest number of data bytes a file may declare (the longest byte array .NET can allocate, just under 2^31).</summary>
    public static long MaxDataLength => IdxFormat.MaxDataLength;

    /// <summary>Reads an IDX file of any rank.</summary>
    /// <param name="path">The file, plain or gzip.</param>
    /// <param name="limits">What to keep; null keeps everything.</param>
    /// <returns>The dimensions (the first one the number of items kept) and the data.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid IDX file of unsigned bytes, or its items exceed <see cref="IdxReadLimits.MaxItemLength"/>.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static IdxArray Read(string path, IdxReadLimits? limits = null) => ReadFile(path, "IDX file", expectedMagic: 0, limits, null).Array;

    /// <summary>Reads an IDX stream of any rank, from its current position to its end.</summary>
    /// <param name="stream">The stream, plain or gzip; left open.</param>
    /// <param name="name">A name for error messages, for example a file name; optional.</param>
    /// <param name="limits">What to keep; null keeps everything.</param>
    /// <returns>The dimensions (the first one the number of items kept) and the data.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid IDX file of unsigned bytes, or its items exceed <see cref="IdxReadLimits.MaxItemLength"/>.</exception>
    public static IdxArray Read(Stream stream, string? name = null, IdxReadLimits? limits = null) => ReadStream(stream, "IDX", name, expectedMagic: 0, limits, null).Array;

    /// <summary>Reads an image file: magic 0x00000803, dimensions [count x rows x columns].</summary>
    /// <param name="path">The file, plain or gzip.</param>
    /// <param name="limits">What to keep; null keeps everything.</param>
    /// <returns>The images kept, one item per image.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid three-dimensional IDX file of unsigned bytes, or its images exceed <see cref="IdxReadLimits.MaxItemLength"/>.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static IdxArray ReadImages(string path, IdxReadLimits? limits = null) => ReadFile(path, "images file", IdxFormat.ImagesMagic, limits, null).Array;

    /// <summary>Reads an image stream: magic 0x00000803, dimensions [count x rows x columns].</summary>
    /// <param name="stream">The stream, plain or gzip; left open.</param>
    /// <param name="name">A name for error messages; optional.</param>
    /// <param name="limits">What to keep; null keeps everything.</param>
    /// <returns>The images kept, one item per image.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid three-dimensional IDX file of unsigned bytes, or its images exceed <see cref="IdxReadLimits.MaxItemLength"/>.</exception>
    public static IdxArray ReadImages(Stream stream, string? name = null, IdxReadLimits? limits = null) => ReadStream(stream, "images", name, IdxFormat.ImagesMagic, limits, null).Array;

    /// <summary>Reads a label file: magic 0x00000801, dimensions [count].</summary>
    /// <param name="path">The file, plain or gzip.</param>
    /// <param name="limits">What to keep; null keeps everything.</param>
    /// <returns>The labels kept, one byte each.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid one-dimensional IDX file of unsigned bytes.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static IdxArray ReadLabels(string path, IdxReadLimits? limits = null) => ReadFile(path, "labels file", IdxFormat.LabelsMagic, limits, null).Array;

    /// <summary>Reads a label stream: magic 0x00000801, dimensions [count].</summary>
    /// <param name="stream">The stream, plain or gzip; left open.</param>
    /// <param name="name">A name for error messages; optional.</param>
    /// <param name="limits">What to keep; null keeps everything.</param>
    /// <returns>The labels kept, one byte each.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid one-dimensional IDX file of unsigned bytes.</exception>
    public static IdxArray ReadLabels(Stream stream, string? name = null, IdxReadLimits? limits = null) => ReadStream(stream, "labels", name, IdxFormat.LabelsMagic, limits, null).Array;

    /// <summary>
    /// The dimensions an IDX file's header declares (for an image file [count, rows, columns]), read from its first
    /// bytes: the header is checked, the data is neither read nor checked.
    /// </summary>
    /// <param name="path">The file, plain or gzip.</param>
    /// <returns>The sizes, outermost first.</returns>
    /// <exception cref="InvalidDataException">The header is not a valid IDX header of unsigned bytes.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static int[] ReadDimensions(string path)
    {
        (IdxArray array, int declared) = ReadFile(path, "IDX file", expectedMagic: 0, s_headerOnly, null);
        int[] dimensions = array.Dimensions.ToArray();
        dimensions[0] = declared;
        return dimensions;
    }

    /// <summary>
    /// Counts the labels of each value in a label file (magic 0x00000801), reading it a chunk at a time: the classes a
    /// file uses and how balanced they are, in constant memory however many labels it declares.
    /// </summary>
    /// <param name="path">The file, plain or gzip.</param>
    /// <returns>256 counts: element v is the number of labels equal to v.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid one-dimensional IDX file of unsigned bytes.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static long[] CountLabels(string path)
    {
        var counts = new long[256];
        ReadFile(path, "labels file", IdxFormat.LabelsMagic, s_countOnly, (data, _) => Count(data, counts));
        return counts;
    }

    /// <summary>Counts the labels of each value in a label stream (see <see cref="CountLabels(string)"/>).</summary>
    /// <param name="stream">The stream, plain or gzip; left open.</param>
    /// <param name="name">A name for error messages; optional.</param>
    /// <returns>256 counts: element v is the number of labels equal to v.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid one-dimensional IDX file of unsigned bytes.</exception>
    public static long[] CountLabels(Stream stream, string? name = null)
    {
        var counts = new long[256];
        ReadStream(stream, "labels", name, IdxFormat.LabelsMagic, s_countOnly, (data, _) => Count(data, counts));
        return counts;
    }

    /// <summary>A label file checked in full (every label seen by <paramref name="observe"/>) with the first labels kept, and the count its header declares.</summary>
    internal static (IdxArray Array, int DeclaredCount) ReadLabels(string path, IdxReadLimits? limits, IdxDataObserver observe) =>
        ReadFile(path, "labels file", IdxFormat.LabelsMagic, limits, observe);

    /// <summary>As <see cref="ReadLabels(string, IdxReadLimits?, IdxDataObserver)"/>, from a stream.</summary>
    internal static (IdxArray Array, int DeclaredCount) ReadLabels(Stream stream, IdxReadLimits? limits, IdxDataObserver observe) =>
        ReadStream(stream, "labels", null, IdxFormat.LabelsMagic, limits, observe);

    /// <summary>An image file with the first images kept, and the count its header declares.</summary>
    internal static (IdxArray Array, int DeclaredCount) ReadImagesCounted(string path, IdxReadLimits? limits) =>
        ReadFile(path, "images file", IdxFormat.ImagesMagic, limits, null);

    /// <summary>As <see cref="ReadImagesCounted(string, IdxReadLimits?)"/>, from a stream.</summary>
    internal static (IdxArray Array, int DeclaredCount) ReadImagesCounted(Stream stream, IdxReadLimits? limits) =>
        ReadStream(stream, "images", null, IdxFormat.ImagesMagic, limits, null);

    private static void Count(ReadOnlySpan<byte> data, long[] counts)
    {
        foreach (byte value in data)
        {
            counts[value]++;
        }
    }

    private static (IdxArray Array, int DeclaredCount) ReadFile(string path, string kind, int expectedMagic, IdxReadLimits? limits, IdxDataObserver? observe)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return ReadCore(stream, $"{kind} '{path}'", expectedMagic, limits ?? IdxReadLimits.None, observe);
    }

    private static (IdxArray Array, int DeclaredCount) ReadStream(Stream stream, string kind, string? name, int expectedMagic, IdxReadLimits? limits, IdxDataObserver? observe)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        return ReadCore(stream, name is null ? $"{kind} stream" : $"{kind} stream '{name}'", expectedMagic, limits ?? IdxReadLimits.None, observe);
    }

    private static (IdxArray Array, int DeclaredCount) ReadCore(Stream stream, string what, int expectedMagic, IdxReadLimits limits, IdxDataObserver? observe)
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
            return ReadContent(gzip, ReadOnlySpan<byte>.Empty, remaining: null, what + " (gzip)", compressed: true, expectedMagic, limits, observe);
        }

        // A device may claim to seek yet report no length: then it is read as a stream of unknown length.
        long? remaining = stream.CanSeek && stream.Length >= stream.Position ? stream.Length - stream.Position : null;
        return ReadContent(stream, signature[..got], remaining, what, compressed: false, expectedMagic, limits, observe);
    }

    /// <summary>Reads the header and data; <paramref name="consumed"/> holds the first bytes already read from <paramref name="source"/>; <paramref name="remaining"/> is their total length when known.</summary>
    private static (IdxArray Array, int DeclaredCount) ReadContent(Stream source, ReadOnlySpan<byte> consumed, long? remaining, string what, bool compressed, int expectedMagic, IdxReadLimits limits, IdxDataObserver? observe)
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

        int declared = dimensions[0];
        if (limits == s_headerOnly)
        {
            dimensions[0] = 0;
            return (new IdxArray(dimensions, []), declared);
        }

        string sizes = IdxFormat.DescribeSizes(dimensions);
        long itemLength = 1;
        for (int i = 1; i < rank; i++)
        {
            itemLength *= dimensions[i];
        }

        if (itemLength > limits.MaxItemLength)
        {
            throw new InvalidDataException(
                $"{what}: declared {sizes}, items of {itemLength} bytes each, more than the {limits.MaxItemLength} bytes allowed per item; nothing past the header was read.");
        }

        int kept = Math.Min(declared, limits.MaxCount);
        long? available = remaining - (4 - consumed.Length) - (4 * rank);
        byte[] data = ReadData(source, available, length, kept * itemLength, headerLength, sizes, what, compressed, observe);
        dimensions[0] = kept;
        return (new IdxArray(dimensions, data), declared);
    }

    /// <summary>
    /// Reads the <paramref name="length"/> data bytes and checks that the content ends there, keeping the first
    /// <paramref name="keptLength"/> and streaming the rest through a small buffer; every byte passes
    /// <paramref name="observe"/>. A source of unknown length grows its buffer only with the bytes that arrive.
    /// </summary>
    private static byte[] ReadData(Stream source, long? available, long length, long keptLength, int headerLength, string sizes, string what, bool compressed, IdxDataObserver? observe)
    {
        string at = compressed ? "decompressed offset" : "offset";
        if (available < length)
        {
            throw new InvalidDataException($"{what}: declared {sizes} but only {available} follow the header at offset {headerLength}.");
        }

        if (available > length)
        {
            throw new InvalidDataException(
                $"{what}: declared {sizes} but {available} follow the header at offset {headerLength}: {available - length} bytes of trailing data start at offset {headerLength + length}.");
        }

        InvalidDataException Truncated(long filled) => new(available is null
            ? $"{what}: declared {sizes} but only {filled} follow the header at {at} {headerLength}; the data ends at {at} {headerLength + filled}."
            : $"{what}: declared {sizes} but the data ends after {filled} bytes, at offset {headerLength + filled}.");

        byte[] data = new byte[available is null ? Math.Min(keptLength, InitialChunkLength) : keptLength];
        long filled = 0;
        while (filled < keptLength)
        {
            if (filled == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(keptLength, 2L * data.Length));
            }

            int n = ReadSome(source, data.AsSpan((int)filled), what, compressed, headerLength + filled);
            if (n == 0)
            {
                throw Truncated(filled);
            }

            observe?.Invoke(data.AsSpan((int)filled, n), filled);
            filled += n;
        }

        if (filled < length && observe is null && available is not null)
        {
            // A plain file of the right length: what is not kept need not be read.
            source.Seek(length - filled, SeekOrigin.Current);
            filled = length;
        }

        byte[] chunk = new byte[(int)Math.Min(length - filled, InitialChunkLength)];
        while (filled < length)
        {
            int n = ReadSome(source, chunk.AsSpan(0, (int)Math.Min(chunk.Length, length - filled)), what, compressed, headerLength + filled);
            if (n == 0)
            {
                throw Truncated(filled);
            }

            observe?.Invoke(chunk.AsSpan(0, n), filled);
            filled += n;
        }

        Span<byte> probe = stackalloc byte[1];
        if (available is null && ReadSome(source, probe, what, compressed, headerLength + length) != 0)
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
