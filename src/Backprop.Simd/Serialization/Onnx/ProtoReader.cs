using System.Buffers.Binary;
using System.Text;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Reads one protobuf message from a span: a loop of <see cref="ReadTag"/> followed by one Read* call (or
/// <see cref="SkipField"/>) per field. Every length is checked against the bytes that remain before anything is
/// sliced or allocated, varints are limited to 10 bytes and 64 bits, and groups are rejected. Every problem throws
/// <see cref="InvalidDataException"/> naming the field, the message and the absolute byte offset: "field 5
/// (initializer) of GraphProto at offset 1234: length 99999 exceeds the 12 remaining bytes".
/// </summary>
/// <remarks>
/// Skipping a field never looks inside it, so a reader only nests as deep as the messages its caller chooses to read:
/// the chain reader reads a fixed set of messages and skips subgraphs whole, whatever depth the file claims.
/// </remarks>
internal ref struct ProtoReader
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly string[] s_wireTypeNames = ["varint", "fixed64", "length-delimited", "group start", "group end", "fixed32"];

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _origin;
    private readonly ProtoMessageInfo _message;
    private int _position;
    private int _tagOffset;
    private int _fieldNumber;
    private ProtoWireType _wireType;

    /// <summary>A reader over the message <paramref name="message"/>, which fills all of <paramref name="data"/>.</summary>
    public ProtoReader(ReadOnlySpan<byte> data, ProtoMessageInfo message)
        : this(data, origin: 0, message)
    {
    }

    private ProtoReader(ReadOnlySpan<byte> data, int origin, ProtoMessageInfo message)
    {
        _data = data;
        _origin = origin;
        _message = message;
    }

    /// <summary>The field number of the tag last read by <see cref="ReadTag"/>.</summary>
    public readonly int FieldNumber => _fieldNumber;

    /// <summary>The wire type of the tag last read by <see cref="ReadTag"/>.</summary>
    public readonly ProtoWireType WireType => _wireType;

    /// <summary>The absolute offset, in the whole input, of this message's first byte.</summary>
    public readonly int MessageOffset => _origin;

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
        ulong tag = ReadVarint(_data.Length);
        if (tag > uint.MaxValue)
        {
            throw Fail(_tagOffset, $"tag {tag} does not fit in 32 bits");
        }

        if (tag >> 3 == 0)
        {
            throw Fail(_tagOffset, "field number 0 is invalid");
        }

        _fieldNumber = (int)(tag >> 3);
        _wireType = (ProtoWireType)(int)(tag & 7);
        return _wireType switch
        {
            ProtoWireType.StartGroup or ProtoWireType.EndGroup => throw Fail(_tagOffset, $"wire type {(int)_wireType} (group) is not supported"),
            ProtoWireType.Varint or ProtoWireType.Fixed64 or ProtoWireType.LengthDelimited or ProtoWireType.Fixed32 => true,
            _ => throw Fail(_tagOffset, $"wire type {(int)_wireType} is invalid"),
        };
    }

    /// <summary>Reads an int64 or uint64 (wire type varint).</summary>
    public long ReadInt64()
    {
        Expect(ProtoWireType.Varint);
        return (long)ReadVarint(_data.Length);
    }

    /// <summary>Reads an int32 or enum (wire type varint; negative values are sign-extended to 10 bytes).</summary>
    public int ReadInt32()
    {
        int start = _position;
        long value = ReadInt64();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Fail(start, $"value {value} does not fit in an int32");
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
        ulong length = ReadVarint(_data.Length);
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

    /// <summary>Reads an embedded message field and returns a reader over it.</summary>
    public ProtoReader ReadMessage(ProtoMessageInfo message)
    {
        ReadOnlySpan<byte> body = ReadBytes();
        return new ProtoReader(body, _origin + _position - body.Length, message);
    }

    /// <summary>Appends a repeated int64 field, packed (one length-delimited run) or not (one varint).</summary>
    public void ReadInt64s(List<long> values)
    {
        if (_wireType != ProtoWireType.LengthDelimited)
        {
            values.Add(ReadInt64());
            return;
        }

        ReadOnlySpan<byte> bytes = ReadBytes();
        int end = _position;
        _position -= bytes.Length;
        while (_position < end)
        {
            values.Add((long)ReadVarint(end, packed: true));
        }
    }

    /// <summary>Appends a repeated float field, packed (a multiple of 4 bytes) or not (one fixed32).</summary>
    public void ReadFloats(List<float> values) => ReadFixed(values, ProtoWireType.Fixed32, BinaryPrimitives.ReadSingleLittleEndian);

    /// <summary>Appends a repeated double field, packed (a multiple of 8 bytes) or not (one fixed64).</summary>
    public void ReadDoubles(List<double> values) => ReadFixed(values, ProtoWireType.Fixed64, BinaryPrimitives.ReadDoubleLittleEndian);

    /// <summary>Skips the value of the field whose tag was just read, whatever its wire type.</summary>
    public void SkipField()
    {
        switch (_wireType)
        {
            case ProtoWireType.Varint:
                ReadVarint(_data.Length);
                break;
            case ProtoWireType.Fixed64:
                Take(8);
                break;
            case ProtoWireType.LengthDelimited:
                ReadBytes();
                break;
            default:
                Take(4);
                break;
        }
    }

    /// <summary>
    /// An <see cref="InvalidDataException"/> for a problem with the field just read, in the same form as the reader's own
    /// errors: "field 14 (data_location) of TensorProto at offset 17: ...".
    /// </summary>
    public readonly InvalidDataException Error(string problem) => Fail(_tagOffset, problem);

    private void ReadFixed<T>(List<T> values, ProtoWireType wireType, FixedReader<T> read)
    {
        int size = wireType == ProtoWireType.Fixed32 ? 4 : 8;
        ReadOnlySpan<byte> bytes;
        if (_wireType == ProtoWireType.LengthDelimited)
        {
            int lengthOffset = _position;
            bytes = ReadBytes();
            if (bytes.Length % size != 0)
            {
                throw Fail(lengthOffset, $"packed length {bytes.Length} is not a multiple of {size}");
            }
        }
        else
        {
            Expect(wireType);
            bytes = Take(size);
        }

        for (int i = 0; i < bytes.Length; i += size)
        {
            values.Add(read(bytes[i..]));
        }
    }

    private ulong ReadVarint(int limit, bool packed = false)
    {
        int start = _position;
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (_position >= limit)
            {
                throw Fail(start, packed ? "a varint runs past the end of its packed field" : $"the {_message.Name} ends inside a varint");
            }

            byte b = _data[_position++];
            if (shift == 63 && b > 1)
            {
                throw Fail(start, b >= 0x80 ? "varint is longer than 10 bytes" : "varint overflows 64 bits");
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

    private static string WireTypeName(ProtoWireType wireType) => s_wireTypeNames[(int)wireType];
}

/// <summary>Reads one little-endian value from the start of <paramref name="bytes"/>, such as <see cref="BinaryPrimitives.ReadSingleLittleEndian"/>.</summary>
/// <typeparam name="T">The value's type.</typeparam>
internal delegate T FixedReader<T>(ReadOnlySpan<byte> bytes);
