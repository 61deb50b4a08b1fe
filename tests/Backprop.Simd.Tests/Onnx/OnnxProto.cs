using System.Runtime.InteropServices;
using System.Text;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

// The tests' own ONNX messages, named as onnx.proto names them, to build models that the importer then reads: every
// field of ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto and ValueInfoProto, including those the
// library skips (subgraphs, external data, segments, strings, documentation), written in field-number order.

/// <summary>TensorProto.DataType.</summary>
internal enum ProtoDataType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
}

/// <summary>AttributeProto.AttributeType.</summary>
internal enum ProtoAttributeType
{
    Undefined = 0,
    Float = 1,
    Int = 2,
    String = 3,
    Tensor = 4,
    Graph = 5,
    Floats = 6,
    Ints = 7,
    Strings = 8,
    Tensors = 9,
    Graphs = 10,
}

internal sealed class ModelProto
{
    public long IrVersion { get; set; } = 8;

    public string ProducerName { get; set; } = "";

    public string ProducerVersion { get; set; } = "";

    public string Domain { get; set; } = "";

    public long ModelVersion { get; set; }

    public string DocString { get; set; } = "";

    public GraphProto? Graph { get; set; }

    /// <summary>The opsets imported: domain (null: the field absent) and version.</summary>
    public List<(string? Domain, long Version)> OpsetImports { get; } = [];

    public byte[] Encode()
    {
        var w = new ProtoWriter();
        w.WriteNonZero(1, IrVersion);
        w.WriteNonEmpty(2, ProducerName);
        w.WriteNonEmpty(3, ProducerVersion);
        w.WriteNonEmpty(4, Domain);
        w.WriteNonZero(5, ModelVersion);
        w.WriteNonEmpty(6, DocString);
        w.WriteOptional(7, Graph is null ? null : Graph.Write);
        foreach ((string? domain, long version) in OpsetImports)
        {
            w.WriteMessage(8, o =>
            {
                if (domain is not null)
                {
                    o.WriteString(1, domain);
                }

                o.WriteNonZero(2, version);
            });
        }

        return w.ToArray();
    }

    public void Save(string path) => File.WriteAllBytes(path, Encode());
}

internal sealed class GraphProto
{
    public List<NodeProto> Nodes { get; } = [];

    public string Name { get; set; } = "";

    public List<TensorProto> Initializers { get; } = [];

    public string DocString { get; set; } = "";

    public List<ValueInfoProto> Inputs { get; } = [];

    public List<ValueInfoProto> Outputs { get; } = [];

    public List<ValueInfoProto> ValueInfo { get; } = [];

    public void Write(ProtoWriter w)
    {
        Nodes.ForEach(n => w.WriteMessage(1, n.Write));
        w.WriteNonEmpty(2, Name);
        Initializers.ForEach(t => w.WriteMessage(5, t.Write));
        w.WriteNonEmpty(10, DocString);
        Inputs.ForEach(v => w.WriteMessage(11, v.Write));
        Outputs.ForEach(v => w.WriteMessage(12, v.Write));
        ValueInfo.ForEach(v => w.WriteMessage(13, v.Write));
    }
}

internal sealed class NodeProto
{
    public List<string> Inputs { get; } = [];

    public List<string> Outputs { get; } = [];

    public string Name { get; set; } = "";

    public string OpType { get; set; } = "";

    public List<AttributeProto> Attributes { get; } = [];

    public string DocString { get; set; } = "";

    public string Domain { get; set; } = "";

    public static NodeProto Create(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Inputs.AddRange(inputs);
        node.Outputs.AddRange(outputs);
        node.Attributes.AddRange(attributes);
        return node;
    }

    public void Write(ProtoWriter w)
    {
        Inputs.ForEach(i => w.WriteString(1, i));
        Outputs.ForEach(o => w.WriteString(2, o));
        w.WriteNonEmpty(3, Name);
        w.WriteNonEmpty(4, OpType);
        Attributes.ForEach(a => w.WriteMessage(5, a.Write));
        w.WriteNonEmpty(6, DocString);
        w.WriteNonEmpty(7, Domain);
    }
}

internal sealed class AttributeProto
{
    public string Name { get; set; } = "";

    public float? F { get; set; }

    public long? I { get; set; }

    public byte[]? S { get; set; }

    public TensorProto? T { get; set; }

    public GraphProto? G { get; set; }

    public List<float> Floats { get; } = [];

    public List<long> Ints { get; } = [];

    public List<byte[]> Strings { get; } = [];

    public List<TensorProto> Tensors { get; } = [];

    public List<GraphProto> Graphs { get; } = [];

    public string DocString { get; set; } = "";

    public ProtoAttributeType Type { get; set; }

    public string RefAttrName { get; set; } = "";

    public static AttributeProto FromFloat(string name, float value) => new() { Name = name, Type = ProtoAttributeType.Float, F = value };

    public static AttributeProto FromInt(string name, long value) => new() { Name = name, Type = ProtoAttributeType.Int, I = value };

    public static AttributeProto FromString(string name, string value) => new() { Name = name, Type = ProtoAttributeType.String, S = Encoding.UTF8.GetBytes(value) };

    public static AttributeProto FromTensor(string name, TensorProto value) => new() { Name = name, Type = ProtoAttributeType.Tensor, T = value };

    public static AttributeProto FromInts(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = ProtoAttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public void Write(ProtoWriter w)
    {
        w.WriteNonEmpty(1, Name);
        if (F is float f)
        {
            w.WriteFloat(2, f);
        }

        if (I is long i)
        {
            w.WriteInt64(3, i);
        }

        if (S is not null)
        {
            w.WriteBytes(4, S);
        }

        w.WriteOptional(5, T is null ? null : T.Write);
        w.WriteOptional(6, G is null ? null : G.Write);
        Floats.ForEach(v => w.WriteFloat(7, v));
        Ints.ForEach(v => w.WriteInt64(8, v));
        Strings.ForEach(v => w.WriteBytes(9, v));
        Tensors.ForEach(t => w.WriteMessage(10, t.Write));
        Graphs.ForEach(g => w.WriteMessage(11, g.Write));
        w.WriteNonEmpty(13, DocString);
        w.WriteNonZero(20, (long)Type);
        w.WriteNonEmpty(21, RefAttrName);
    }
}

internal sealed class TensorProto
{
    public long[] Dims { get; set; } = [];

    public ProtoDataType DataType { get; set; }

    /// <summary>TensorProto.Segment (begin, end), or null.</summary>
    public (long Begin, long End)? Segment { get; set; }

    public float[] FloatData { get; set; } = [];

    public int[] Int32Data { get; set; } = [];

    public List<byte[]> StringData { get; } = [];

    public long[] Int64Data { get; set; } = [];

    public string Name { get; set; } = "";

    public byte[]? RawData { get; set; }

    public double[] DoubleData { get; set; } = [];

    public ulong[] UInt64Data { get; set; } = [];

    public string DocString { get; set; } = "";

    public List<(string Key, string Value)> ExternalData { get; } = [];

    /// <summary>0: DEFAULT, 1: EXTERNAL.</summary>
    public int DataLocation { get; set; }

    /// <summary>A FLOAT tensor holding <paramref name="values"/> in raw_data, or in float_data when <paramref name="raw"/> is false.</summary>
    public static TensorProto Create(string name, long[] dims, float[] values, bool raw = true) =>
        raw ? Raw(name, dims, ProtoDataType.Float, values) : new() { Name = name, Dims = dims, DataType = ProtoDataType.Float, FloatData = values };

    /// <summary>A DOUBLE tensor in raw_data or double_data.</summary>
    public static TensorProto Create(string name, long[] dims, double[] values, bool raw = true) =>
        raw ? Raw(name, dims, ProtoDataType.Double, values) : new() { Name = name, Dims = dims, DataType = ProtoDataType.Double, DoubleData = values };

    /// <summary>An INT64 tensor in raw_data or int64_data.</summary>
    public static TensorProto Create(string name, long[] dims, long[] values, bool raw = true) =>
        raw ? Raw(name, dims, ProtoDataType.Int64, values) : new() { Name = name, Dims = dims, DataType = ProtoDataType.Int64, Int64Data = values };

    /// <summary>An INT32 tensor in raw_data or int32_data.</summary>
    public static TensorProto Create(string name, long[] dims, int[] values, bool raw = true) =>
        raw ? Raw(name, dims, ProtoDataType.Int32, values) : new() { Name = name, Dims = dims, DataType = ProtoDataType.Int32, Int32Data = values };

    public void Write(ProtoWriter w)
    {
        foreach (long dim in Dims)
        {
            w.WriteInt64(1, dim);
        }

        w.WriteNonZero(2, (long)DataType);
        if (Segment is (long begin, long end))
        {
            w.WriteMessage(3, s =>
            {
                s.WriteNonZero(1, begin);
                s.WriteNonZero(2, end);
            });
        }

        w.WritePacked(4, FloatData);
        w.WritePackedVarints(5, [.. Int32Data.Select(v => (long)v)]);
        StringData.ForEach(s => w.WriteBytes(6, s));
        w.WritePackedVarints(7, Int64Data);
        w.WriteNonEmpty(8, Name);
        if (RawData is not null)
        {
            w.WriteBytes(9, RawData);
        }

        w.WritePacked(10, DoubleData);
        w.WritePackedVarints(11, [.. UInt64Data.Select(v => (long)v)]);
        w.WriteNonEmpty(12, DocString);
        foreach ((string key, string value) in ExternalData)
        {
            w.WriteMessage(13, e =>
            {
                e.WriteNonEmpty(1, key);
                e.WriteNonEmpty(2, value);
            });
        }

        w.WriteNonZero(14, DataLocation);
    }

    private static TensorProto Raw<T>(string name, long[] dims, ProtoDataType type, T[] values)
        where T : unmanaged =>
        new() { Name = name, Dims = dims, DataType = type, RawData = MemoryMarshal.AsBytes(values.AsSpan()).ToArray() };
}

internal sealed class ValueInfoProto
{
    public string Name { get; set; } = "";

    /// <summary>Whether the value has a type (TypeProto) at all.</summary>
    public bool HasType { get; set; } = true;

    /// <summary>Whether that type is a tensor type (TypeProto.tensor_type); false for an empty TypeProto.</summary>
    public bool IsTensor { get; set; } = true;

    public ProtoDataType ElementType { get; set; }

    /// <summary>The dimensions: a fixed size, a symbolic name, or neither (unknown); null for no shape.</summary>
    public List<(long? Value, string? Param)>? Shape { get; set; }

    public string DocString { get; set; } = "";

    /// <summary>A tensor value of the given element type and dimensions: a long is fixed, a string symbolic, null unknown.</summary>
    public static ValueInfoProto CreateTensor(string name, ProtoDataType type, params object?[] dims) => new()
    {
        Name = name,
        ElementType = type,
        Shape = [.. dims.Select(d => d switch { long v => ((long?)v, (string?)null), int v => (v, null), string p => (null, p), _ => ((long?)null, (string?)null) })],
    };

    public void Write(ProtoWriter w)
    {
        w.WriteNonEmpty(1, Name);
        if (HasType)
        {
            w.WriteMessage(2, type => type.WriteOptional(1, !IsTensor ? null : tensor =>
            {
                tensor.WriteNonZero(1, (long)ElementType);
                tensor.WriteOptional(2, Shape is null ? null : shape =>
                {
                    foreach ((long? value, string? param) in Shape)
                    {
                        shape.WriteMessage(1, d =>
                        {
                            if (value is long v)
                            {
                                d.WriteInt64(1, v);
                            }
                            else if (param is not null)
                            {
                                d.WriteString(2, param);
                            }
                        });
                    }
                });
            }));
        }

        w.WriteNonEmpty(3, DocString);
    }
}

/// <summary>The encodings the tests need beyond what the library's writer offers.</summary>
internal static class ProtoWriterExtensions
{
    public static void WriteNonZero(this ProtoWriter w, int field, long value)
    {
        if (value != 0)
        {
            w.WriteInt64(field, value);
        }
    }

    public static void WriteNonEmpty(this ProtoWriter w, int field, string value)
    {
        if (value.Length != 0)
        {
            w.WriteString(field, value);
        }
    }

    /// <summary>Writes an embedded message whose fields <paramref name="body"/> writes; nothing when it is null.</summary>
    public static void WriteOptional(this ProtoWriter w, int field, Action<ProtoWriter>? body)
    {
        if (body is not null)
        {
            int mark = w.BeginMessage(field);
            body(w);
            w.EndMessage(mark);
        }
    }

    public static void WriteDouble(this ProtoWriter w, int field, double value)
    {
        w.WriteTag(field, ProtoWireType.Fixed64);
        w.WriteRaw(BitConverter.GetBytes(value));
    }

    /// <summary>A packed run of fixed-width values (floats or doubles), little-endian; nothing when empty.</summary>
    public static void WritePacked<T>(this ProtoWriter w, int field, T[] values)
        where T : unmanaged
    {
        if (values.Length != 0)
        {
            w.WriteBytes(field, MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }

    /// <summary>A packed run of varints; nothing when empty.</summary>
    public static void WritePackedVarints(this ProtoWriter w, int field, long[] values)
    {
        w.WriteOptional(field, values.Length == 0 ? null : p =>
        {
            foreach (long value in values)
            {
                p.WriteVarint((ulong)value);
            }
        });
    }
}
