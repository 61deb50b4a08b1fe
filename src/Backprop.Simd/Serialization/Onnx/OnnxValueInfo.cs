namespace Backprop.Simd.Serialization.Onnx;

/// <summary>ONNX's <c>ValueInfoProto</c>: the name (1), type (2) and documentation (3) of a graph input, output or value.</summary>
internal sealed class OnnxValueInfo
{
    internal static readonly ProtoMessageInfo Info = new("ValueInfoProto", (1, "name"), (2, "type"), (3, "doc_string"));

    /// <summary>The value's name (field 1).</summary>
    public string Name { get; set; } = "";

    /// <summary>The value's type (field 2), or <see langword="null"/> when absent.</summary>
    public OnnxType? Type { get; set; }

    /// <summary>Documentation (field 3).</summary>
    public string DocString { get; set; } = "";

    /// <summary>The tensor type, or <see langword="null"/> when the type is absent or not a tensor.</summary>
    public OnnxTensorType? TensorType => Type?.TensorType;

    /// <summary>A tensor value named <paramref name="name"/> of the given element type and dimensions (e.g. "batch", 4).</summary>
    public static OnnxValueInfo CreateTensor(string name, OnnxDataType elementType, params ReadOnlySpan<OnnxDimension> dims)
    {
        ArgumentNullException.ThrowIfNull(name);
        var shape = new OnnxShape();
        shape.Dims.AddRange(dims);
        return new OnnxValueInfo
        {
            Name = name,
            Type = new OnnxType { TensorType = new OnnxTensorType { ElementType = elementType, Shape = shape } },
        };
    }

    internal static OnnxValueInfo Read(ref ProtoReader reader)
    {
        var info = new OnnxValueInfo();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1:
                    info.Name = reader.ReadString();
                    break;
                case 2:
                    ProtoReader type = reader.ReadMessage(OnnxType.Info);
                    info.Type = OnnxType.Read(ref type);
                    break;
                case 3:
                    info.DocString = reader.ReadString();
                    break;
                default:
                    reader.SkipField();
                    break;
            }
        }

        return info;
    }

    internal void Write(ProtoWriter writer)
    {
        if (Name.Length != 0)
        {
            writer.WriteString(1, Name);
        }

        if (Type is not null)
        {
            int mark = writer.BeginMessage(2);
            Type.Write(writer);
            writer.EndMessage(mark);
        }

        if (DocString.Length != 0)
        {
            writer.WriteString(3, DocString);
        }
    }
}
