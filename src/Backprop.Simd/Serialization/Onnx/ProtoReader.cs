using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Reads one protobuf message from a span: a loop of <see cref="ReadTag"/> followed by one Read* call (or
/// <see cref="SkipField"/>) per field. Every length is checked against the bytes that remain before anything is
/// sliced or allocated, varints are limited to 10 bytes and 64 bits, groups are rejected, and embedded messages nest
/// at most <see cref="MaxDepth"/> levels. Every problem throws <see cref="InvalidDataException"/> naming the field,
/// the message and the absolute byte offset: "field 5 (initializer) of GraphProto at offset 1234: length 99999
/// exceeds the 12 remaining bytes".
/// </summary>
internal ref struct ProtoReader
{
    /// <summary>How deeply embedded messages may nest (the outermost message is level 0).</summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _origin;
    private readonly int _depth;
    private readonly ProtoMessageInfo _message;
    private int _position;
    private int _tagOffset;
    private int _fieldNumber;
    private ProtoWireType _wireType;

    /// <summary>A reader over the outermost message <paramref name="message"/>, which fills all of <paramref name="data"/>.</summary>
    public ProtoReader(ReadOnlySpan<byte> data, ProtoMessageInfo message)
        : this(data, origin: 0, depth: 0, message)
    {
    }

    private ProtoReader(ReadOnlySpan<byte> data, int origin, int depth, ProtoMessageInfo message)
    {
        _data = data;
        _origin = origin;
        _depth = depth;
        _message = message;
        _tagOffset = -1;
    }

    /// <summary>The field number of the tag last read by <see cref="ReadTag"/>.</summary>
    public readonly int FieldNumber => _fieldNumber;

    /// <summary>The wire type of the tag last read by <see cref="ReadTag"/>.</summary>
    public readonly ProtoWireType WireType => _wireType;

    /// <summary>How deeply this message is nested: 0 for the outermost one.</summary>
    public readonly int Depth => _depth;

    /// <summary>The absolute offset, in the whole input, of this message's first byte.</summary>
    public readonly int MessageOffset => _origin;

    /// <summary>The absolute offset, in the whole input, of the tag last read (or of this message's start before any).</summary>
    public readonly int TagOffset => _origin + (_tagOffset < 0 ? 0 : _tagOffset);

    /// <summary>
    /// Reads the next tag; <see langword="false"/> at the end of the message. Throws for field number 0, a tag over
    /// 32 bits, a group (wire types 3 and 4) and the undefined wire types 6 and 7.
    /// </summary>
    public bool ReadTag()
    {
        _fieldNumber = 0;
        if (_position >= _data.Length)
        {
            return false;
        }

        _tagOffset = _position;
        ulong tag = ReadVarintCore(_data.Length);
        if (tag > uint.MaxValue)
        {
            throw Fail(_tagOffset, $"tag {tag} does not fit in 32 bits");
        }

        int number = (int)(tag >> 3);
        var wireType = (ProtoWireType)(int)(tag & 7);
        if (number == 0)
        {
            throw Fail(_tagOffset, "field number 0 is invalid");
        }

        _fieldNumber = number;
        _wireType = wireType;
        switch (wireType)
        {
            case ProtoWireType.StartGroup:
            case ProtoWireType.EndGroup:
                throw Fail(_tagOffset, $"wire type {(int)wireType} (group) is not supported");
            case ProtoWireType.Varint:
            case ProtoWireType.Fixed64:
            case ProtoWireType.LengthDelimited:
            case ProtoWireType.Fixed32:
                return true;
            default:
                throw Fail(_tagOffset, $"wire type {(int)wireType} is invalid");
        }
    }

    /// <summary>Reads an int64 (wire type varint).</summary>
    public long ReadInt64()
    {
        Expect(ProtoWireType.Varint);
        return (long)ReadVarintCore(_data.Length);
    }

    /// <summary>Reads a uint64 (wire type varint).</summary>
    public ulong ReadUInt64()
    {
        Expect(ProtoWireType.Varint);
        return ReadVarintCore(_data.Length);
    }

    /// <summary>Reads an int32 or enum (wire type varint; negative values are sign-extended to 10 bytes).</summary>
    public int ReadInt32()
    {
        Expect(ProtoWireType.Varint);
        return ReadInt32Core(_data.Length);
    }

    /// <summary>Reads a float (wire type fixed32, little-endian).</summary>
    public float ReadFloat()
    {
        Expect(ProtoWireType.Fixed32);
        return BinaryPrimitives.ReadSingleLittleEndian(Take(sizeof(float)));
    }

    /// <summary>Reads a double (wire type fixed64, little-endian).</summary>
    public double ReadDouble()
    {
        Expect(ProtoWireType.Fixed64);
        return BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double)));
    }

    /// <summary>Reads a bytes field: a slice of the input, checked against the remaining bytes first.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        Expect(ProtoWireType.LengthDelimited);
        int lengthOffset = _position;
        ulong length = ReadVarintCore(_data.Length);
        int remaining = _data.Length - _position;
        if (length > (ulong)remaining)
        {
            throw Fail(lengthOffset, $"length {length} exceeds the {remaining} remaining bytes");
        }

        ReadOnlySpan<byte> bytes = _data.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    /// <summary>Reads a string field, which must be valid UTF-8.</summary>
    public string ReadString()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadBytes();
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Fail(start, "the string is not valid UTF-8");
        }
    }

    /// <summary>Reads an embedded message field and returns a reader over it, one level deeper.</summary>
    public ProtoReader ReadMessage(ProtoMessageInfo message)
    {
        int start = _position;
        ReadOnlySpan<byte> body = ReadBytes();
        if (_depth + 1 > MaxDepth)
        {
            throw Fail(start, $"messages nest more than {MaxDepth} levels deep");
        }

        return new ProtoReader(body, _origin + _position - body.Length, _depth + 1, message);
    }

    /// <summary>Appends a repeated int64 field, packed (one length-delimited run) or not (one varint).</summary>
    public void ReadInt64s(List<long> values)
    {
        if (_wireType != ProtoWireType.LengthDelimited)
        {
            values.Add(ReadInt64());
            return;
        }

        int end = BeginPacked(out int count);
        values.EnsureCapacity(values.Count + count);
        while (_position < end)
        {
            values.Add((long)ReadVarintCore(end, packed: true));
        }
    }

    /// <summary>Appends a repeated uint64 field, packed or not.</summary>
    public void ReadUInt64s(List<ulong> values)
    {
        if (_wireType != ProtoWireType.LengthDelimited)
        {
            values.Add(ReadUInt64());
            return;
        }

        int end = BeginPacked(out int count);
        values.EnsureCapacity(values.Count + count);
        while (_position < end)
        {
            values.Add(ReadVarintCore(end, packed: true));
        }
    }

    /// <summary>Appends a repeated int32 field, packed or not.</summary>
    public void ReadInt32s(List<int> values)
    {
        if (_wireType != ProtoWireType.LengthDelimited)
        {
            values.Add(ReadInt32());
            return;
        }

        int end = BeginPacked(out int count);
        values.EnsureCapacity(values.Count + count);
        while (_position < end)
        {
            values.Add(ReadInt32Core(end, packed: true));
        }
    }

    /// <summary>Appends a repeated float field, packed (a multiple of 4 bytes) or not (one fixed32).</summary>
    public void ReadFloats(List<float> values)
    {
        if (_wireType != ProtoWireType.LengthDelimited)
        {
            values.Add(ReadFloat());
            return;
        }

        ReadPackedFixed(values);
    }

    /// <summary>Appends a repeated double field, packed (a multiple of 8 bytes) or not (one fixed64).</summary>
    public void ReadDoubles(List<double> values)
    {
        if (_wireType != ProtoWireType.LengthDelimited)
        {
            values.Add(ReadDouble());
            return;
        }

        ReadPackedFixed(values);
    }

    /// <summary>Skips the value of the field whose tag was just read, whatever its wire type.</summary>
    public void SkipField()
    {
        switch (_wireType)
        {
            case ProtoWireType.Varint:
                ReadVarintCore(_data.Length);
                break;
            case ProtoWireType.Fixed64:
                Take(8);
                break;
            case ProtoWireType.LengthDelimited:
                ReadBytes();
                break;
            case ProtoWireType.Fixed32:
                Take(4);
                break;
            default:
                throw Fail(_tagOffset, $"wire type {(int)_wireType} cannot be skipped");
        }
    }

    /// <summary>
    /// An <see cref="InvalidDataException"/> for a problem with the field just read, in the same form as the reader's own
    /// errors: "field 2 (data_type) of TensorProto at offset 17: ...".
    /// </summary>
    public readonly InvalidDataException Error(string problem) => Fail(_tagOffset < 0 ? 0 : _tagOffset, problem);

    private void ReadPackedFixed<T>(List<T> values)
        where T : unmanaged
    {
        int lengthOffset = _position;
        ReadOnlySpan<byte> bytes = ReadBytes();
        int size = Unsafe.SizeOf<T>();
        if (bytes.Length % size != 0)
        {
            throw Fail(lengthOffset, $"packed length {bytes.Length} is not a multiple of {size}");
        }

        int start = values.Count;
        CollectionsMarshal.SetCount(values, start + (bytes.Length / size));
        Span<byte> destination = MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(values)[start..]);
        bytes.CopyTo(destination);
        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < destination.Length; i += size)
            {
                destination.Slice(i, size).Reverse();
            }
        }
    }

    /// <summary>Reads a packed varint field's length, checks it, and returns where it ends; <paramref name="count"/> is the element count.</summary>
    private int BeginPacked(out int count)
    {
        ReadOnlySpan<byte> bytes = ReadBytes();
        // Every varint ends with the one byte whose high bit is clear, so counting those sizes the list exactly.
        count = 0;
        foreach (byte b in bytes)
        {
            count += (b >> 7) ^ 1;
        }

        int end = _position;
        _position -= bytes.Length;
        return end;
    }

    private int ReadInt32Core(int limit, bool packed = false)
    {
        int start = _position;
        long value = (long)ReadVarintCore(limit, packed);
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw Fail(start, $"value {value} does not fit in an int32");
        }

        return (int)value;
    }

    private ulong ReadVarintCore(int limit, bool packed = false)
    {
        int start = _position;
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (_position >= limit)
            {
                throw Fail(start, packed
                    ? "a varint runs past the end of its packed field"
                    : $"the {_message.Name} ends inside a varint");
            }

            byte b = _data[_position++];
            if (shift == 63)
            {
                if (b >= 0x80)
                {
                    throw Fail(start, "varint is longer than 10 bytes");
                }

                if (b > 1)
                {
                    throw Fail(start, "varint overflows 64 bits");
                }
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        int remaining = _data.Length - _position;
        if (count > remaining)
        {
            throw Fail(_position, $"{count} bytes are needed but only {remaining} remain");
        }

        ReadOnlySpan<byte> bytes = _data.Slice(_position, count);
        _position += count;
        return bytes;
    }

    private readonly void Expect(ProtoWireType expected)
    {
        if (_wireType != expected)
        {
            throw Fail(_tagOffset, $"wire type {WireTypeName(_wireType)} where {WireTypeName(expected)} was expected");
        }
    }

    private readonly InvalidDataException Fail(int position, string problem)
    {
        string where = _fieldNumber != 0 ? _message.DescribeField(_fieldNumber) : _message.Name;
        return new InvalidDataException($"{where} at offset {_origin + position}: {problem}.");
    }

    private static string WireTypeName(ProtoWireType wireType) => wireType switch
    {
        ProtoWireType.Varint => "varint",
        ProtoWireType.Fixed64 => "fixed64",
        ProtoWireType.LengthDelimited => "length-delimited",
        ProtoWireType.Fixed32 => "fixed32",
        _ => ((int)wireType).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
