using System.Text;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// ONNX's <c>AttributeProto</c>: a named constant parameter of a node (e.g. Gemm's transB). <see cref="Type"/> says
/// which value field is in use; single values that may legitimately be 0 or empty are nullable so that presence
/// round-trips. Typed, checked access by attribute name is on <see cref="OnnxNode"/>.
/// </summary>
internal sealed class OnnxAttribute
{
    internal static readonly ProtoMessageInfo Info = new(
        "AttributeProto",
        (1, "name"), (2, "f"), (3, "i"), (4, "s"), (5, "t"), (6, "g"), (7, "floats"), (8, "ints"), (9, "strings"),
        (10, "tensors"), (11, "graphs"), (13, "doc_string"), (14, "tp"), (15, "type_protos"), (20, "type"),
        (21, "ref_attr_name"), (22, "sparse_tensor"), (23, "sparse_tensors"));

    /// <summary>The attribute name (field 1).</summary>
    public string Name { get; set; } = "";

    /// <summary>The FLOAT value (field 2).</summary>
    public float? F { get; set; }

    /// <summary>The INT value (field 3).</summary>
    public long? I { get; set; }

    /// <summary>The STRING value as bytes (field 4), normally UTF-8 text.</summary>
    public byte[]? S { get; set; }

    /// <summary>The TENSOR value (field 5).</summary>
    public OnnxTensor? T { get; set; }

    /// <summary>The GRAPH value (field 6).</summary>
    public OnnxGraph? G { get; set; }

    /// <summary>The FLOATS value (field 7, unpacked in proto2; packed is accepted too).</summary>
    public List<float> Floats { get; } = [];

    /// <summary>The INTS value (field 8).</summary>
    public List<long> Ints { get; } = [];

    /// <summary>The STRINGS value (field 9).</summary>
    public List<byte[]> Strings { get; } = [];

    /// <summary>The TENSORS value (field 10).</summary>
    public List<OnnxTensor> Tensors { get; } = [];

    /// <summary>The GRAPHS value (field 11).</summary>
    public List<OnnxGraph> Graphs { get; } = [];

    /// <summary>Documentation (field 13).</summary>
    public string DocString { get; set; } = "";

    /// <summary>Which value field is in use (field 20).</summary>
    public OnnxAttributeType Type { get; set; }

    /// <summary>Inside a function body, the name of the function attribute this one refers to (field 21).</summary>
    public string RefAttrName { get; set; } = "";

    /// <summary>
    /// <see cref="Type"/>, or when that is UNDEFINED (IR version 1 models), the type implied by the one value
    /// field that is set; UNDEFINED when none is.
    /// </summary>
    public OnnxAttributeType EffectiveType =>
        Type != OnnxAttributeType.Undefined ? Type
        : F is not null ? OnnxAttributeType.Float
        : I is not null ? OnnxAttributeType.Int
        : S is not null ? OnnxAttributeType.String
        : T is not null ? OnnxAttributeType.Tensor
        : G is not null ? OnnxAttributeType.Graph
        : Floats.Count != 0 ? OnnxAttributeType.Floats
        : Ints.Count != 0 ? OnnxAttributeType.Ints
        : Strings.Count != 0 ? OnnxAttributeType.Strings
        : Tensors.Count != 0 ? OnnxAttributeType.Tensors
        : Graphs.Count != 0 ? OnnxAttributeType.Graphs
        : OnnxAttributeType.Undefined;

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute FromFloat(string name, float value) => new() { Name = name, Type = OnnxAttributeType.Float, F = value };

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute FromInt(string name, long value) => new() { Name = name, Type = OnnxAttributeType.Int, I = value };

    /// <summary>A STRING attribute holding <paramref name="value"/> as UTF-8.</summary>
    public static OnnxAttribute FromString(string name, string value) =>
        new() { Name = name, Type = OnnxAttributeType.String, S = Encoding.UTF8.GetBytes(value) };

    /// <summary>A TENSOR attribute (e.g. a Constant node's value).</summary>
    public static OnnxAttribute FromTensor(string name, OnnxTensor value) => new() { Name = name, Type = OnnxAttributeType.Tensor, T = value };

    /// <summary>A FLOATS attribute.</summary>
    public static OnnxAttribute FromFloats(string name, params ReadOnlySpan<float> values)
    {
        var attribute = new OnnxAttribute { Name = name, Type = OnnxAttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute FromInts(string name, params ReadOnlySpan<long> values)
    {
        var attribute = new OnnxAttribute { Name = name, Type = OnnxAttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    internal static OnnxAttribute Read(ref ProtoReader reader)
    {
        var attribute = new OnnxAttribute();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1:
                    attribute.Name = reader.ReadString();
                    break;
                case 2:
                    attribute.F = reader.ReadFloat();
                    break;
                case 3:
                    attribute.I = reader.ReadInt64();
                    break;
                case 4:
                    attribute.S = reader.ReadBytes().ToArray();
                    break;
                case 5:
                    ProtoReader tensor = reader.ReadMessage(OnnxTensor.Info);
                    attribute.T = OnnxTensor.Read(ref tensor);
                    break;
                case 6:
                    ProtoReader graph = reader.ReadMessage(OnnxGraph.Info);
                    attribute.G = OnnxGraph.Read(ref graph);
                    break;
                case 7:
                    reader.ReadFloats(attribute.Floats);
                    break;
                case 8:
                    reader.ReadInt64s(attribute.Ints);
                    break;
                case 9:
                    attribute.Strings.Add(reader.ReadBytes().ToArray());
                    break;
                case 10:
                    ProtoReader tensors = reader.ReadMessage(OnnxTensor.Info);
                    attribute.Tensors.Add(OnnxTensor.Read(ref tensors));
                    break;
                case 11:
                    ProtoReader graphs = reader.ReadMessage(OnnxGraph.Info);
                    attribute.Graphs.Add(OnnxGraph.Read(ref graphs));
                    break;
                case 13:
                    attribute.DocString = reader.ReadString();
                    break;
                case 20:
                    attribute.Type = (OnnxAttributeType)reader.ReadInt32();
                    break;
                case 21:
                    attribute.RefAttrName = reader.ReadString();
                    break;
                default:
                    reader.SkipField();
                    break;
            }
        }

        return attribute;
    }

    internal void Write(ProtoWriter writer)
    {
        if (Name.Length != 0)
        {
            writer.WriteString(1, Name);
        }

        if (F is float f)
        {
            writer.WriteFloat(2, f);
        }

        if (I is long i)
        {
            writer.WriteInt64(3, i);
        }

        if (S is not null)
        {
            writer.WriteBytes(4, S);
        }

        if (T is not null)
        {
            int mark = writer.BeginMessage(5);
            T.Write(writer);
            writer.EndMessage(mark);
        }

        if (G is not null)
        {
            int mark = writer.BeginMessage(6);
            G.Write(writer);
            writer.EndMessage(mark);
        }

        writer.WriteUnpackedFloats(7, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Floats));
        writer.WriteUnpackedInt64s(8, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Ints));
        foreach (byte[] value in Strings)
        {
            writer.WriteBytes(9, value);
        }

        foreach (OnnxTensor tensor in Tensors)
        {
            int mark = writer.BeginMessage(10);
            tensor.Write(writer);
            writer.EndMessage(mark);
        }

        foreach (OnnxGraph graph in Graphs)
        {
            int mark = writer.BeginMessage(11);
            graph.Write(writer);
            writer.EndMessage(mark);
        }

        if (DocString.Length != 0)
        {
            writer.WriteString(13, DocString);
        }

        if (Type != OnnxAttributeType.Undefined)
        {
            writer.WriteInt32(20, (int)Type);
        }

        if (RefAttrName.Length != 0)
        {
            writer.WriteString(21, RefAttrName);
        }
    }
}
