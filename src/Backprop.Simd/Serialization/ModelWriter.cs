using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Backprop.Simd.Serialization;

/// <summary>
/// Writes the little-endian fields of a model file and keeps the CRC-32C of everything written. Without a target
/// stream it only counts: the encoder runs once that way to learn the file length (and to fail on an unsavable
/// model before a byte reaches the disk), then again for real.
/// </summary>
internal sealed class ModelWriter
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream? _target;
    private uint _crc = Crc32C.Initial;

    /// <summary>A writer into <paramref name="target"/>, or a counter when it is null.</summary>
    public ModelWriter(Stream? target)
    {
        _target = target;
    }

    /// <summary>Bytes written (or counted) so far.</summary>
    public long Position { get; private set; }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Position += bytes.Length;
        if (_target is not null)
        {
            _crc = Crc32C.Append(_crc, bytes);
            _target.Write(bytes);
        }
    }

    public void WriteByte(byte value) => WriteBytes([value]);

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteInt32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        WriteBytes(bytes);
    }

    public void WriteUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        WriteBytes(bytes);
    }

    public void WriteInt64(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        WriteBytes(bytes);
    }

    public void WriteUInt64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        WriteBytes(bytes);
    }

    public void WriteDouble(double value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        WriteBytes(bytes);
    }

    /// <summary>A string as an i32 byte length and its UTF-8 bytes.</summary>
    /// <exception cref="ArgumentException">The string holds a lone surrogate, which UTF-8 cannot encode.</exception>
    public void WriteString(string value, string description)
    {
        byte[] bytes;
        try
        {
            bytes = s_strictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"The {description} holds an unpaired surrogate at index {e.Index}, which cannot be stored as UTF-8.", e);
        }

        WriteInt32(bytes.Length);
        WriteBytes(bytes);
    }

    /// <summary>Values (T, or i32) as they lie in memory: little-endian, the only byte order <see cref="ModelFile"/> runs on.</summary>
    public void WriteValues<T>(ReadOnlySpan<T> values)
        where T : unmanaged => WriteBytes(MemoryMarshal.AsBytes(values));

    /// <summary>Writes the CRC-32C of everything before it.</summary>
    public void WriteChecksum() => WriteUInt32(Crc32C.Finish(_crc));
}
