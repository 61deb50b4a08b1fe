using System.Buffers.Binary;
using System.Text;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Writes protobuf fields into a growing buffer, in the canonical form protobuf's own serializers produce: minimal
/// varints, negative values sign-extended to 10 bytes, embedded messages with a minimal length prefix
/// (<see cref="BeginMessage"/> reserves one byte and <see cref="EndMessage"/> widens it if the body needs more).
/// The caller writes the fields of each message in field-number order, as protobuf does.
/// </summary>
internal sealed class ProtoWriter
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer;
    private int _length;

    /// <summary>An empty writer.</summary>
    public ProtoWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    /// <summary>The bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far; valid until the next write.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>A copy of the bytes written so far.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Writes a tag: the field number and the wire type.</summary>
    public void WriteTag(int fieldNumber, ProtoWireType wireType) =>
        WriteVarint(((ulong)(uint)fieldNumber << 3) | (uint)wireType);

    /// <summary>Writes a base-128 varint.</summary>
    public void WriteVarint(ulong value)
    {
        Span<byte> span = Reserve(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _length += i;
    }

    /// <summary>Writes an int64, uint64, int32 or enum field (a negative value takes 10 bytes, as protobuf requires).</summary>
    public void WriteInt64(int fieldNumber, long value)
    {
        WriteTag(fieldNumber, ProtoWireType.Varint);
        WriteVarint((ulong)value);
    }

    /// <summary>Writes a float field (fixed32).</summary>
    public void WriteFloat(int fieldNumber, float value)
    {
        WriteTag(fieldNumber, ProtoWireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
        _length += 4;
    }

    /// <summary>Writes a bytes field.</summary>
    public void WriteBytes(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteTag(fieldNumber, ProtoWireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes a string field as UTF-8; throws <see cref="ArgumentException"/> for a string with lone surrogates.</summary>
    public void WriteString(int fieldNumber, string value)
    {
        int byteCount;
        try
        {
            byteCount = s_strictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"A string of {value.Length} characters for protobuf field {fieldNumber} is not valid UTF-16 (a lone surrogate at index {e.Index}).", nameof(value), e);
        }

        WriteTag(fieldNumber, ProtoWireType.LengthDelimited);
        WriteVarint((ulong)byteCount);
        _length += s_strictUtf8.GetBytes(value, Reserve(byteCount));
    }

    /// <summary>Appends bytes already encoded, such as the fields another writer holds.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Writes an embedded message in field <paramref name="fieldNumber"/> whose fields <paramref name="body"/> writes.</summary>
    public void WriteMessage(int fieldNumber, Action<ProtoWriter> body)
    {
        int mark = BeginMessage(fieldNumber);
        body(this);
        EndMessage(mark);
    }

    /// <summary>
    /// Starts an embedded message (or packed run) in field <paramref name="fieldNumber"/>: writes the tag, reserves one
    /// byte for the length and returns a mark to pass to <see cref="EndMessage"/> once the body is written.
    /// </summary>
    public int BeginMessage(int fieldNumber)
    {
        WriteTag(fieldNumber, ProtoWireType.LengthDelimited);
        Reserve(1);
        return _length++;
    }

    /// <summary>Ends the message started at <paramref name="mark"/>: writes its length, moving the body if the length needs more than one byte.</summary>
    public void EndMessage(int mark)
    {
        int bodyStart = mark + 1;
        int bodyLength = _length - bodyStart;
        int prefixLength = VarintLength((ulong)bodyLength);
        if (prefixLength > 1)
        {
            Reserve(prefixLength - 1);
            _buffer.AsSpan(bodyStart, bodyLength).CopyTo(_buffer.AsSpan(mark + prefixLength));
        }

        int saved = _length;
        _length = mark;
        WriteVarint((ulong)bodyLength);
        _length = saved + prefixLength - 1;
    }

    /// <summary>The number of bytes the varint encoding of <paramref name="value"/> takes: 1 to 10.</summary>
    public static int VarintLength(ulong value) => 1 + ((63 - System.Numerics.BitOperations.LeadingZeroCount(value | 1)) / 7);

    /// <summary>Makes room for <paramref name="count"/> more bytes and returns the free space after the written bytes.</summary>
    private Span<byte> Reserve(int count)
    {
        long needed = (long)_length + count;
        if (needed > _buffer.Length)
        {
            if (needed > Array.MaxLength)
            {
                throw new NotSupportedException(
                    $"The encoded ONNX model would exceed {Array.MaxLength} bytes, the largest protobuf message; models that large need external data, which is not supported.");
            }

            Array.Resize(ref _buffer, (int)Math.Clamp(2L * _buffer.Length, needed, Array.MaxLength));
        }

        return _buffer.AsSpan(_length);
    }
}
