using System.Buffers.Binary;

namespace Backprop.Simd.Serialization;

/// <summary>
/// The first 24 bytes of a model file: checked before anything else, so that a foreign, truncated, padded or newer
/// file is named for what it is rather than failing somewhere in its sections.
/// </summary>
internal static class ModelHeader
{
    /// <summary>
    /// Reads and checks the header (magic, version, element type, declared length against the real one) and returns a
    /// reader for the rest. A stream that cannot seek is buffered first, never beyond its declared length plus one byte.
    /// </summary>
    public static (ModelReader Reader, uint ElementCode, long Length) Open(Stream stream, string what)
    {
        byte[] header = new byte[ModelFormat.HeaderLength];
        int got = ReadAtMost(stream, header);
        CheckMagicAndVersion(header.AsSpan(0, got), what);
        if (got < ModelFormat.HeaderLength)
        {
            throw ModelReader.Fail(what, got, $"the file is truncated: it ends inside the {ModelFormat.HeaderLength}-byte header");
        }

        uint elementCode = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        if (ModelFormat.ElementType(elementCode) is null)
        {
            throw ModelReader.Fail(what, 12, $"the element type code is {elementCode}; format version {ModelFile.FormatVersion} defines 4 (float) and 8 (double)");
        }

        // Unsigned: a length of 2^63 or more is named as the file has it, not as a negative number.
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(16));
        if (declared < ModelFormat.HeaderLength + ModelFormat.ChecksumLength)
        {
            throw ModelReader.Fail(what, 16, $"the declared file length {declared} is shorter than a header and a checksum");
        }

        if (declared > long.MaxValue)
        {
            throw ModelReader.Fail(what, 16, $"the declared file length {declared} is more than a file can hold ({long.MaxValue} bytes)");
        }

        long length = (long)declared;

        Stream body = stream;
        long available;
        if (stream.CanSeek)
        {
            available = ModelFormat.HeaderLength + (stream.Length - stream.Position);
        }
        else
        {
            byte[] rest = ReadBounded(stream, length - ModelFormat.HeaderLength, what);
            available = ModelFormat.HeaderLength + rest.Length;
            body = new MemoryStream(rest, writable: false);
        }

        if (available < length)
        {
            throw ModelReader.Fail(what, available, $"the file is truncated: its header declares {length} bytes but it ends after {available}");
        }

        if (available > length)
        {
            throw ModelReader.Fail(what, length, $"{available - length} bytes of trailing data follow the end of the model that its header declares");
        }

        return (new ModelReader(body, what, length, header), elementCode, length);
    }

    private static void CheckMagicAndVersion(ReadOnlySpan<byte> header, string what)
    {
        if (header.IsEmpty)
        {
            throw ModelReader.Fail(what, 0, $"the file is empty; a model file starts with the magic {Convert.ToHexString(ModelFormat.Magic)}");
        }

        ReadOnlySpan<byte> magic = header[..Math.Min(header.Length, ModelFormat.Magic.Length)];
        if (!magic.SequenceEqual(ModelFormat.Magic[..magic.Length]))
        {
            throw ModelReader.Fail(what, 0, $"this is not a Backprop.Simd model file: it starts with {Convert.ToHexString(magic)}, not the magic {Convert.ToHexString(ModelFormat.Magic)}");
        }

        if (header.Length < 12)
        {
            throw ModelReader.Fail(what, header.Length, $"the file is truncated: it ends inside the {ModelFormat.HeaderLength}-byte header");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version == 0)
        {
            throw ModelReader.Fail(what, 8, "the format version is 0, which no model file has");
        }

        if (version > ModelFile.FormatVersion)
        {
            throw ModelReader.Fail(what, 8, $"model file format version {version} is newer than the supported version {ModelFile.FormatVersion}; update Backprop.Simd");
        }
    }

    /// <summary>Reads up to <paramref name="length"/> bytes and probes one more, into a buffer that grows only with the bytes that arrive.</summary>
    private static byte[] ReadBounded(Stream stream, long length, string what)
    {
        if (length >= Array.MaxLength)
        {
            throw ModelReader.Fail(what, 16, $"the declared file length {length + ModelFormat.HeaderLength} is more than a stream that cannot seek can be buffered in");
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[(int)Math.Min(length + 1, 1 << 16)];
        while (buffer.Length <= length)
        {
            int n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, length + 1 - buffer.Length));
            if (n == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    private static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
