using System.Buffers.Binary;
using System.Text;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Tests.Serialization;

/// <summary>
/// Writes model files field by field from the documented layout, independently of the library's encoder, so tests
/// can check the layout and build files that lie (with a correct length and checksum, so the lie is what gets caught).
/// </summary>
internal sealed class RawModelFile
{
    private readonly List<byte> _bytes = [];

    /// <summary>The offset of the next field.</summary>
    public int Position => _bytes.Count;

    /// <summary>A file that starts with the magic, the version, the element type and a length to be filled in by <see cref="Build"/>.</summary>
    public static RawModelFile Start(uint version = 1, uint elementSize = 4) =>
        new RawModelFile().Bytes(0x89, 0x42, 0x50, 0x53, 0x4D, 0x0D, 0x0A, 0x1A).U32(version).U32(elementSize).I64(0);

    /// <summary>Sets the length field to the file's real length and the last four bytes to the CRC-32C of the rest.</summary>
    public static byte[] Repair(byte[] file)
    {
        if (file.Length >= 28)
        {
            BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(16), file.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32C.Compute(file.AsSpan(0, file.Length - 4)));
        }

        return file;
    }

    public RawModelFile Bytes(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public RawModelFile U8(byte value) => Bytes(value);

    public RawModelFile I32(int value) => Field(4, span => BinaryPrimitives.WriteInt32LittleEndian(span, value));

    public RawModelFile U32(uint value) => Field(4, span => BinaryPrimitives.WriteUInt32LittleEndian(span, value));

    public RawModelFile I64(long value) => Field(8, span => BinaryPrimitives.WriteInt64LittleEndian(span, value));

    public RawModelFile U64(ulong value) => Field(8, span => BinaryPrimitives.WriteUInt64LittleEndian(span, value));

    public RawModelFile F32(params float[] values)
    {
        foreach (float value in values)
        {
            Field(4, span => BinaryPrimitives.WriteSingleLittleEndian(span, value));
        }

        return this;
    }

    public RawModelFile F64(params double[] values)
    {
        foreach (double value in values)
        {
            Field(8, span => BinaryPrimitives.WriteDoubleLittleEndian(span, value));
        }

        return this;
    }

    /// <summary>A four-character section tag.</summary>
    public RawModelFile Tag(string name) => Bytes(Encoding.ASCII.GetBytes(name));

    /// <summary>An i32 byte length and UTF-8 bytes.</summary>
    public RawModelFile Text(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        return I32(bytes.Length).Bytes(bytes);
    }

    /// <summary>The bytes with a checksum appended and the length field set (see <see cref="Repair"/>).</summary>
    public byte[] Build() => Repair([.. _bytes, 0, 0, 0, 0]);

    private RawModelFile Field(int length, SpanAction write)
    {
        Span<byte> bytes = stackalloc byte[length];
        write(bytes);
        _bytes.AddRange(bytes);
        return this;
    }

    private delegate void SpanAction(Span<byte> span);
}
