using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Backprop.Simd.Serialization;

/// <summary>
/// Reads the little-endian fields of a model file whose length is known, checking every read and every count
/// against the bytes that remain before the checksum, so that nothing is allocated for data the file does not hold.
/// It keeps the CRC-32C of everything read. Every problem is an <see cref="InvalidDataException"/> that names the
/// file, the byte offset and the field: "model file 'm.bpm' at offset 36: the layer count 70000 needs at least 350000
/// bytes but only 120 remain before the checksum".
/// </summary>
internal sealed class ModelReader
{
    private const int SkipChunkLength = 1 << 16;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _source;
    private readonly string _what;
    private readonly long _end;
    private uint _crc;

    /// <summary>A reader positioned after the header, whose bytes were already read (and are checksummed here).</summary>
    /// <param name="source">The stream, positioned just after the header.</param>
    /// <param name="what">The file or stream, for messages.</param>
    /// <param name="fileLength">The file length, checked against the stream already.</param>
    /// <param name="header">The header's bytes.</param>
    public ModelReader(Stream source, string what, long fileLength, ReadOnlySpan<byte> header)
    {
        _source = source;
        _what = what;
        _end = fileLength - ModelFormat.ChecksumLength;
        _crc = Crc32C.Append(Crc32C.Initial, header);
        Position = header.Length;
        Version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
    }

    /// <summary>The file's format version (checked by the header: 1 up to <see cref="ModelFile.FormatVersion"/>).</summary>
    public uint Version { get; }

    /// <summary>The offset of the next byte.</summary>
    public long Position { get; private set; }

    /// <summary>The bytes left before the checksum.</summary>
    public long Remaining => _end - Position;

    /// <summary>An exception naming the file, the offset and the problem.</summary>
    public InvalidDataException Fail(long offset, string problem) => Fail(_what, offset, problem);

    /// <inheritdoc cref="Fail(long, string)"/>
    public static InvalidDataException Fail(string what, long offset, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{what} at offset {offset}: {problem}."));

    public byte ReadByte(string field)
    {
        Span<byte> bytes = stackalloc byte[1];
        ReadBytes(bytes, field);
        return bytes[0];
    }

    /// <summary>A byte in [0, <paramref name="maximum"/>], such as an enumeration's code.</summary>
    public byte ReadByte(string field, byte maximum)
    {
        long offset = Position;
        byte value = ReadByte(field);
        return value <= maximum ? value : throw Fail(offset, $"{field} is {value}; it must be in [0, {maximum}]");
    }

    /// <summary>A byte that must be 0 or 1.</summary>
    public bool ReadBoolean(string field) => ReadByte(field, 1) == 1;

    public int ReadInt32(string field)
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadBytes(bytes, field);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    public uint ReadUInt32(string field)
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadBytes(bytes, field);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public long ReadInt64(string field)
    {
        Span<byte> bytes = stackalloc byte[8];
        ReadBytes(bytes, field);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    public ulong ReadUInt64(string field)
    {
        Span<byte> bytes = stackalloc byte[8];
        ReadBytes(bytes, field);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    public double ReadDouble(string field)
    {
        Span<byte> bytes = stackalloc byte[8];
        ReadBytes(bytes, field);
        return BinaryPrimitives.ReadDoubleLittleEndian(bytes);
    }

    /// <summary>An i32 in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public int ReadInt32(string field, int minimum, int maximum)
    {
        long offset = Position;
        int value = ReadInt32(field);
        return value >= minimum && value <= maximum
            ? value
            : throw Fail(offset, $"{field} is {value}; it must be in [{minimum}, {maximum}]");
    }

    /// <summary>
    /// A non-negative i32 count of items that take at least <paramref name="bytesEach"/> bytes each, checked against
    /// the remaining bytes before anyone allocates for it.
    /// </summary>
    public int ReadCount(string field, int bytesEach)
    {
        long offset = Position;
        int count = ReadInt32(field);
        if (count < 0)
        {
            throw Fail(offset, $"{field} is {count}; a count cannot be negative");
        }

        long needed = (long)count * bytesEach;
        return needed <= Remaining
            ? count
            : throw Fail(offset, $"{field} {count} needs at least {needed} bytes but only {Remaining} remain before the checksum");
    }

    /// <summary>A section tag, which must be <paramref name="expected"/>.</summary>
    public void ReadTag(uint expected)
    {
        long offset = Position;
        uint tag = ReadUInt32("a section tag");
        if (tag != expected)
        {
            throw Fail(offset, $"expected section {ModelFormat.DescribeTag(expected)} but found {ModelFormat.DescribeTag(tag)}");
        }
    }

    /// <summary>A section tag, which must be one of <paramref name="expected"/>; returns it.</summary>
    public uint ReadTag(params ReadOnlySpan<uint> expected)
    {
        long offset = Position;
        uint tag = ReadUInt32("a section tag");
        if (!expected.Contains(tag))
        {
            var names = new List<string>();
            foreach (uint t in expected)
            {
                names.Add(ModelFormat.DescribeTag(t));
            }

            throw Fail(offset, $"expected section {string.Join(", ", names)} but found {ModelFormat.DescribeTag(tag)}");
        }

        return tag;
    }

    /// <summary>An i32 byte length and that many bytes of strict UTF-8.</summary>
    public string ReadString(string field)
    {
        int length = ReadCount($"the byte length of {field}", 1);
        long offset = Position;
        byte[] bytes = new byte[length];
        ReadBytes(bytes, field);
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw Fail(offset + Math.Max(0, e.Index), $"{field} is not valid UTF-8");
        }
    }

    /// <summary>Fills <paramref name="destination"/> with values (T, or i32), little-endian as in memory.</summary>
    public void ReadValues<T>(Span<T> destination, string field)
        where T : unmanaged => ReadBytes(MemoryMarshal.AsBytes(destination), field);

    /// <summary>Reads and checksums <paramref name="length"/> bytes without keeping them (for <see cref="ModelFile.ReadInfo(string)"/>).</summary>
    public void Skip(long length, string field)
    {
        Need(length, field);
        byte[] chunk = new byte[(int)Math.Min(length, SkipChunkLength)];
        for (long done = 0; done < length; done += chunk.Length)
        {
            ReadBytes(chunk.AsSpan(0, (int)Math.Min(chunk.Length, length - done)), field);
        }
    }

    /// <summary>Checks that every byte before the checksum was read, then the checksum itself.</summary>
    public void VerifyChecksum()
    {
        if (Remaining != 0)
        {
            throw Fail(Position, $"{Remaining} bytes follow the last section, before the checksum at offset {_end}");
        }

        uint computed = Crc32C.Finish(_crc);
        Span<byte> bytes = stackalloc byte[ModelFormat.ChecksumLength];
        ReadRaw(bytes, "the checksum");
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (stored != computed)
        {
            throw Fail(_end, $"checksum mismatch: the file stores CRC-32C 0x{stored:X8} but its bytes 0..{_end - 1} give 0x{computed:X8}; the file is corrupt");
        }
    }

    private void Need(long length, string field)
    {
        if (length > Remaining)
        {
            throw Fail(Position, $"{field} needs {length} bytes but only {Remaining} remain before the checksum");
        }
    }

    private void ReadBytes(Span<byte> destination, string field)
    {
        Need(destination.Length, field);
        ReadRaw(destination, field);
        _crc = Crc32C.Append(_crc, destination);
    }

    /// <summary>Reads without the bounds check or the checksum; a stream shorter than it claimed to be is corrupt data too.</summary>
    private void ReadRaw(Span<byte> destination, string field)
    {
        try
        {
            _source.ReadExactly(destination);
        }
        catch (EndOfStreamException)
        {
            throw Fail(Position, $"the stream ends while reading {field}, before the file length its header declares");
        }

        Position += destination.Length;
    }
}
