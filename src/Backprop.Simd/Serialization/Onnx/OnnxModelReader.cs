using System.Buffers.Binary;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Reads from a .onnx file what a chain of layers needs and skips the rest unread: the producer, the default opset,
/// and the graph's nodes (with their int, float, string, ints and tensor attributes), initializers (dense FLOAT, DOUBLE,
/// INT64 and BOOL values; the dims and type of others) and typed inputs and outputs. Subgraphs, metadata, value_info,
/// documentation and unknown fields are skipped as bytes. Wire errors and tensors whose values do not match their dims
/// give <see cref="InvalidDataException"/> naming the message, the field and the byte offset; data kept where this
/// reader does not look (external data, tensor segments, sparse initializers) gives <see cref="NotSupportedException"/>.
/// </summary>
internal static class OnnxModelReader
{
    private static readonly ProtoMessageInfo s_model = new(
        "ModelProto", (1, "ir_version"), (2, "producer_name"), (3, "producer_version"), (4, "domain"), (5, "model_version"), (6, "doc_string"), (7, "graph"), (8, "opset_import"));

    private static readonly ProtoMessageInfo s_opset = new("OperatorSetIdProto", (1, "domain"), (2, "version"));
    private static readonly ProtoMessageInfo s_graph = new("GraphProto", (1, "node"), (2, "name"), (5, "initializer"), (11, "input"), (12, "output"), (15, "sparse_initializer"));
    private static readonly ProtoMessageInfo s_node = new("NodeProto", (1, "input"), (2, "output"), (3, "name"), (4, "op_type"), (5, "attribute"), (7, "domain"));
    private static readonly ProtoMessageInfo s_attribute = new("AttributeProto", (1, "name"), (2, "f"), (3, "i"), (4, "s"), (5, "t"), (6, "g"), (8, "ints"), (20, "type"), (21, "ref_attr_name"));

    private static readonly ProtoMessageInfo s_tensor = new(
        "TensorProto", (1, "dims"), (2, "data_type"), (3, "segment"), (4, "float_data"), (5, "int32_data"), (6, "string_data"), (7, "int64_data"), (8, "name"),
        (9, "raw_data"), (10, "double_data"), (11, "uint64_data"), (13, "external_data"), (14, "data_location"));

    private static readonly ProtoMessageInfo s_value = new("ValueInfoProto", (1, "name"), (2, "type"));
    private static readonly ProtoMessageInfo s_type = new("TypeProto", (1, "tensor_type"));
    private static readonly ProtoMessageInfo s_tensorType = new("TypeProto.Tensor", (1, "elem_type"), (2, "shape"));
    private static readonly ProtoMessageInfo s_shape = new("TensorShapeProto", (1, "dim"));
    private static readonly ProtoMessageInfo s_dimension = new("TensorShapeProto.Dimension", (1, "dim_value"), (2, "dim_param"));

    /// <summary>The largest model accepted: about 2 GiB, protobuf's limit and the largest byte array.</summary>
    public static int MaxBytes => Array.MaxLength;

    /// <summary>Reads a model from the bytes of a .onnx file.</summary>
    public static OnnxModelContents Read(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data, s_model);
        var contents = new OnnxModelContents();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 2: contents.ProducerName = reader.ReadString(); break;
                case 7: contents.Graph = ReadGraph(ref reader); break;
                case 8: ReadOpset(ref reader, contents); break;
                default: reader.SkipField(); break;
            }
        }

        return contents;
    }

    /// <summary>Reads the rest of <paramref name="stream"/>, refusing more than <paramref name="maxBytes"/> bytes before reading them.</summary>
    public static byte[] ReadAll(Stream stream, int maxBytes)
    {
        if (stream.CanSeek)
        {
            long remaining = Math.Max(0, stream.Length - stream.Position);
            var data = remaining <= maxBytes ? new byte[remaining] : throw TooLarge($"{remaining} bytes", maxBytes);
            int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            return read == data.Length ? data : data[..read];
        }

        var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        for (int read; (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1L - buffer.Length))) > 0;)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw TooLarge($"more than {maxBytes} bytes", maxBytes);
            }
        }

        return buffer.ToArray();
    }

    private static InvalidDataException TooLarge(string size, int maxBytes) =>
        new($"The ONNX model is {size} long; at most {maxBytes} bytes are accepted (larger models need external data, which is not supported).");

    private static void ReadOpset(ref ProtoReader parent, OnnxModelContents contents)
    {
        ProtoReader reader = parent.ReadMessage(s_opset);
        (string domain, long version) = ("", 0L);
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1: domain = reader.ReadString(); break;
                case 2: version = reader.ReadInt64(); break;
                default: reader.SkipField(); break;
            }
        }

        if (domain is "" or "ai.onnx")
        {
            contents.Opset = contents.Opset is null ? version : throw new InvalidDataException("The ONNX model imports the default operator set (domain \"\" or \"ai.onnx\") twice.");
        }
    }

    private static OnnxGraph ReadGraph(ref ProtoReader parent)
    {
        ProtoReader reader = parent.ReadMessage(s_graph);
        (string name, List<OnnxNode> nodes, List<OnnxTensor> initializers, List<OnnxValue> inputs, List<OnnxValue> outputs) = ("", [], [], [], []);
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1: nodes.Add(ReadNode(ref reader)); break;
                case 2: name = reader.ReadString(); break;
                case 5: initializers.Add(ReadTensor(ref reader)); break;
                case 11: inputs.Add(ReadValue(ref reader)); break;
                case 12: outputs.Add(ReadValue(ref reader)); break;
                case 15: throw new NotSupportedException($"GraphProto at offset {reader.MessageOffset} has a sparse initializer, which is not supported; store the weights as dense initializers.");
                default: reader.SkipField(); break;
            }
        }

        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(ref ProtoReader parent)
    {
        ProtoReader reader = parent.ReadMessage(s_node);
        var node = new OnnxNode();
        (string name, string opType, string domain) = ("", "", "");
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1: node.Inputs.Add(reader.ReadString()); break;
                case 2: node.Outputs.Add(reader.ReadString()); break;
                case 3: name = reader.ReadString(); break;
                case 4: opType = reader.ReadString(); break;
                case 5: node.Attributes.Add(ReadAttribute(ref reader)); break;
                case 7: domain = reader.ReadString(); break;
                default: reader.SkipField(); break;
            }
        }

        return new OnnxNode { Name = name, OpType = opType, Domain = domain, Inputs = node.Inputs, Outputs = node.Outputs, Attributes = node.Attributes };
    }

    private static OnnxAttribute ReadAttribute(ref ProtoReader parent)
    {
        ProtoReader reader = parent.ReadMessage(s_attribute);
        var attribute = new OnnxAttribute();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1: attribute.Name = reader.ReadString(); break;
                case 2: attribute.F = reader.ReadFloat(); break;
                case 3: attribute.I = reader.ReadInt64(); break;
                case 4: attribute.S = reader.ReadBytes().ToArray(); break;
                case 5: attribute.T = ReadTensor(ref reader); break;
                case 8: reader.ReadInt64s(attribute.Ints); break;
                case 20: attribute.Type = reader.ReadInt32(); break;
                case 21: attribute.RefAttrName = reader.ReadString(); break;
                default: reader.SkipField(); break;
            }
        }

        return attribute;
    }

    private static OnnxTensor ReadTensor(ref ProtoReader parent)
    {
        ProtoReader reader = parent.ReadMessage(s_tensor);
        (List<long> dims, List<float> floats, List<double> doubles, List<long> int32s, List<long> int64s, List<long> uint64s) = ([], [], [], [], [], []);
        (int type, string name, int strings, int location, bool segment, bool hasRaw) = (0, "", 0, 0, false, false);
        ReadOnlySpan<byte> raw = default;
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1: reader.ReadInt64s(dims); break;
                case 2: type = reader.ReadInt32(); break;
                case 4: reader.ReadFloats(floats); break;
                case 5: reader.ReadInt64s(int32s); break;
                case 7: reader.ReadInt64s(int64s); break;
                case 8: name = reader.ReadString(); break;
                case 10: reader.ReadDoubles(doubles); break;
                case 11: reader.ReadInt64s(uint64s); break;
                case 14:
                    location = reader.ReadInt32();
                    if (location is not (0 or 1))
                    {
                        throw reader.Error($"data_location {location} is neither DEFAULT (0) nor EXTERNAL (1)");
                    }

                    break;
                case 9:
                    raw = reader.ReadBytes();
                    hasRaw = true;
                    break;
                default:
                    // A segment (3) is read no further than its presence, and string_data (6) than its count.
                    segment |= reader.FieldNumber == 3;
                    strings += reader.FieldNumber == 6 ? 1 : 0;
                    reader.SkipField();
                    break;
            }
        }

        var tensor = new OnnxTensor(name, [.. dims], type);
        string where = $"TensorProto at offset {reader.MessageOffset}: {tensor.Describe()}";
        long count = CountElements(tensor.Dims, where);
        if (location == 1 || segment)
        {
            throw new NotSupportedException(location == 1
                ? $"{tensor.Describe()} keeps its values in external data (data_location = EXTERNAL), which is not supported; save the model with its weights inside the file."
                : $"{tensor.Describe()} is a segment of a larger tensor, which is not supported.");
        }

        (int field, int size) = type switch { OnnxTensor.Float => (4, 4), OnnxTensor.Int64 => (7, 8), OnnxTensor.Bool => (5, 1), OnnxTensor.Double => (10, 8), _ => (0, 0) };
        if (field == 0)
        {
            return tensor;
        }

        // The values are in raw_data or in the one typed field of the data type, as many as the dims say.
        string own = s_tensor.FieldName(field)!;
        where += $" of type {OnnxTensor.DescribeType(type)}";
        int typed = 0;
        foreach ((int number, int values) in (ReadOnlySpan<(int, int)>)[(4, floats.Count), (5, int32s.Count), (6, strings), (7, int64s.Count), (10, doubles.Count), (11, uint64s.Count)])
        {
            typed = number == field ? values : values == 0 ? typed : throw new InvalidDataException($"{where} has {values} values in {s_tensor.FieldName(number)}; its values belong in {own} or raw_data.");
        }

        string? problem = hasRaw && typed != 0 ? $"has values in both raw_data and {own}"
            : hasRaw && (raw.Length % size != 0 || raw.Length / size != count) ? $"has dims {OnnxTensor.FormatDims(tensor.Dims)} ({count} elements) but raw_data holds {raw.Length} bytes, not {count} x {size}"
            : !hasRaw && typed != count ? $"has dims {OnnxTensor.FormatDims(tensor.Dims)} ({count} elements) but {own} holds {typed} values"
            : null;
        if (problem is not null)
        {
            throw new InvalidDataException($"{where} {problem}.");
        }

        return type switch
        {
            OnnxTensor.Float => new(name, tensor.Dims, type) { Values = hasRaw ? Decode(raw, size, b => (double)BinaryPrimitives.ReadSingleLittleEndian(b)) : [.. floats.Select(v => (double)v)] },
            OnnxTensor.Double => new(name, tensor.Dims, type) { Values = hasRaw ? Decode(raw, size, BinaryPrimitives.ReadDoubleLittleEndian) : [.. doubles] },
            OnnxTensor.Int64 => new(name, tensor.Dims, type) { Integers = hasRaw ? Decode(raw, size, BinaryPrimitives.ReadInt64LittleEndian) : [.. int64s] },
            _ => new(name, tensor.Dims, type) { Integers = hasRaw ? Decode(raw, size, b => b[0] != 0 ? 1L : 0L) : [.. int32s] },
        };
    }

    private static TValue[] Decode<TValue>(ReadOnlySpan<byte> raw, int size, FixedReader<TValue> read)
    {
        var values = new TValue[raw.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = read(raw.Slice(i * size, size));
        }

        return values;
    }

    /// <summary>The product of <paramref name="dims"/>, checked: no negative dimension and no overflow (an empty dimension makes it 0).</summary>
    private static long CountElements(long[] dims, string where)
    {
        if (dims.Any(d => d < 0))
        {
            throw new InvalidDataException($"{where} has a negative dimension in dims {OnnxTensor.FormatDims(dims)}.");
        }

        long count = dims.Contains(0) ? 0 : 1;
        foreach (long dim in count == 0 ? [] : dims)
        {
            count = count <= long.MaxValue / dim ? count * dim : throw new InvalidDataException($"{where} has dims {OnnxTensor.FormatDims(dims)} whose product overflows 64 bits.");
        }

        return count;
    }

    private static OnnxValue ReadValue(ref ProtoReader parent)
    {
        ProtoReader reader = parent.ReadMessage(s_value);
        var value = new OnnxValue("", false, 0, null);
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1: value = value with { Name = reader.ReadString() }; break;
                case 2: value = ReadType(ref reader, value); break;
                default: reader.SkipField(); break;
            }
        }

        return value;
    }

    /// <summary>TypeProto: of its kinds, only tensor_type (1) { elem_type (1), shape (2) } is read.</summary>
    private static OnnxValue ReadType(ref ProtoReader parent, OnnxValue value)
    {
        ProtoReader type = parent.ReadMessage(s_type);
        while (type.ReadTag())
        {
            if (type.FieldNumber != 1)
            {
                type.SkipField();
                continue;
            }

            value = value with { IsTensor = true };
            ProtoReader tensor = type.ReadMessage(s_tensorType);
            while (tensor.ReadTag())
            {
                switch (tensor.FieldNumber)
                {
                    case 1: value = value with { ElementType = tensor.ReadInt32() }; break;
                    case 2: value = value with { Shape = ReadShape(ref tensor) }; break;
                    default: tensor.SkipField(); break;
                }
            }
        }

        return value;
    }

    /// <summary>TensorShapeProto: dim (1) { dim_value (1) or dim_param (2), a oneof whose last field read wins }.</summary>
    private static OnnxDimension[] ReadShape(ref ProtoReader parent)
    {
        var dims = new List<OnnxDimension>();
        ProtoReader shape = parent.ReadMessage(s_shape);
        while (shape.ReadTag())
        {
            if (shape.FieldNumber != 1)
            {
                shape.SkipField();
                continue;
            }

            ProtoReader dim = shape.ReadMessage(s_dimension);
            var dimension = default(OnnxDimension);
            while (dim.ReadTag())
            {
                switch (dim.FieldNumber)
                {
                    case 1: dimension = new(dim.ReadInt64(), null); break;
                    case 2: dimension = new(null, dim.ReadString()); break;
                    default: dim.SkipField(); break;
                }
            }

            dims.Add(dimension);
        }

        return [.. dims];
    }
}

/// <summary>What <see cref="OnnxModelReader"/> read from a model.</summary>
internal sealed class OnnxModelContents
{
    /// <summary>The tool that wrote the model, or "" when the model does not say.</summary>
    public string ProducerName { get; set; } = "";

    /// <summary>The version of the default operator set the model imports, or <see langword="null"/> when it imports none.</summary>
    public long? Opset { get; set; }

    /// <summary>The graph, or <see langword="null"/> when the model has none.</summary>
    public OnnxGraph? Graph { get; set; }
}
