using System.Text;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Any protobuf message as a list of fields in file order, decoded without knowing what the fields mean except which
/// length-delimited ones hold the ONNX messages below, and encoded back byte for byte. The tests edit models written by
/// others (torch's, the exporter's) through it and read the fields the library does not.
/// </summary>
internal sealed class ProtoTree
{
    /// <summary>Per message, the fields that hold embedded messages and the name of each.</summary>
    private static readonly Dictionary<string, Dictionary<int, string>> s_children = new()
    {
        ["ModelProto"] = new() { [7] = "GraphProto", [8] = "OperatorSetIdProto" },
        ["GraphProto"] = new() { [1] = "NodeProto", [5] = "TensorProto", [11] = "ValueInfoProto", [12] = "ValueInfoProto", [13] = "ValueInfoProto" },
        ["NodeProto"] = new() { [5] = "AttributeProto" },
        ["AttributeProto"] = new() { [5] = "TensorProto", [6] = "GraphProto" },
        ["ValueInfoProto"] = new() { [2] = "TypeProto" },
        ["TypeProto"] = new() { [1] = "TypeProto.Tensor" },
        ["TypeProto.Tensor"] = new() { [2] = "TensorShapeProto" },
        ["TensorShapeProto"] = new() { [1] = "Dimension" },
    };

    private static readonly ProtoMessageInfo s_any = new("message");

    public ProtoTree(string message) => Message = message;

    public string Message { get; }

    public List<Field> Fields { get; } = [];

    public static ProtoTree Decode(ReadOnlySpan<byte> bytes, string message = "ModelProto")
    {
        var tree = new ProtoTree(message);
        var reader = new ProtoReader(bytes, s_any);
        while (reader.ReadTag())
        {
            var field = new Field(reader.FieldNumber, reader.WireType);
            switch (reader.WireType)
            {
                case ProtoWireType.Varint:
                    field.Value = reader.ReadInt64();
                    break;
                case ProtoWireType.Fixed32:
                    field.Value = BitConverter.SingleToInt32Bits(reader.ReadFloat());
                    break;
                case ProtoWireType.Fixed64:
                    field.Value = BitConverter.DoubleToInt64Bits(reader.ReadDouble());
                    break;
                default:
                    ReadOnlySpan<byte> body = reader.ReadBytes();
                    if (s_children.TryGetValue(message, out Dictionary<int, string>? children) && children.TryGetValue(field.Number, out string? child))
                    {
                        field.Child = Decode(body, child);
                    }
                    else
                    {
                        field.Bytes = body.ToArray();
                    }

                    break;
            }

            tree.Fields.Add(field);
        }

        return tree;
    }

    public byte[] Encode()
    {
        var writer = new ProtoWriter();
        Write(writer);
        return writer.ToArray();
    }

    /// <summary>The embedded messages in field <paramref name="number"/>, in order.</summary>
    public IEnumerable<ProtoTree> Children(int number) => Fields.Where(f => f.Number == number && f.Child is not null).Select(f => f.Child!);

    public ProtoTree? Child(int number) => Children(number).FirstOrDefault();

    /// <summary>The strings (or bytes as UTF-8) in field <paramref name="number"/>.</summary>
    public IEnumerable<string> Strings(int number) => Fields.Where(f => f.Number == number && f.Bytes is not null).Select(f => Encoding.UTF8.GetString(f.Bytes!));

    public string? String(int number) => Strings(number).LastOrDefault();

    /// <summary>The last varint in field <paramref name="number"/>.</summary>
    public long? Int(int number) => Fields.LastOrDefault(f => f.Number == number && f.WireType == ProtoWireType.Varint)?.Value;

    /// <summary>Replaces every value of field <paramref name="number"/> by <paramref name="value"/> (a string, a long, or a tree), where the first one stood.</summary>
    public void Set(int number, object value)
    {
        int at = Fields.FindIndex(f => f.Number == number);
        Fields.RemoveAll(f => f.Number == number);
        Fields.Insert(at < 0 ? Fields.Count : at, Make(number, value));
    }

    /// <summary>Adds a field (a string, a long, or a tree) at the end.</summary>
    public void Add(int number, object value) => Fields.Add(Make(number, value));

    private static Field Make(int number, object value) => value switch
    {
        string s => new Field(number, ProtoWireType.LengthDelimited) { Bytes = Encoding.UTF8.GetBytes(s) },
        long l => new Field(number, ProtoWireType.Varint) { Value = l },
        ProtoTree t => new Field(number, ProtoWireType.LengthDelimited) { Child = t },
        _ => throw new ArgumentException($"cannot store a {value.GetType().Name}", nameof(value)),
    };

    private void Write(ProtoWriter writer)
    {
        foreach (Field field in Fields)
        {
            switch (field.WireType)
            {
                case ProtoWireType.Varint:
                    writer.WriteInt64(field.Number, field.Value);
                    break;
                case ProtoWireType.Fixed32:
                    writer.WriteFloat(field.Number, BitConverter.Int32BitsToSingle((int)field.Value));
                    break;
                case ProtoWireType.Fixed64:
                    writer.WriteDouble(field.Number, BitConverter.Int64BitsToDouble(field.Value));
                    break;
                default:
                    if (field.Child is ProtoTree child)
                    {
                        int mark = writer.BeginMessage(field.Number);
                        child.Write(writer);
                        writer.EndMessage(mark);
                    }
                    else
                    {
                        writer.WriteBytes(field.Number, field.Bytes ?? []);
                    }

                    break;
            }
        }
    }

    /// <summary>One field: its number and wire type, and a varint or fixed value's bits, a length-delimited field's bytes, or the message it holds.</summary>
    internal sealed class Field(int number, ProtoWireType wireType)
    {
        public int Number { get; } = number;

        public ProtoWireType WireType { get; } = wireType;

        public long Value { get; set; }

        public byte[]? Bytes { get; set; }

        public ProtoTree? Child { get; set; }
    }
}
