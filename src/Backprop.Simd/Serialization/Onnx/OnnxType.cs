namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// ONNX's <c>TypeProto</c>, of which this library knows the tensor case (tensor_type = 1); sequence, map, optional and
/// sparse types are skipped when read, leaving <see cref="TensorType"/> null.
/// </summary>
internal sealed class OnnxType
{
    internal static readonly ProtoMessageInfo Info = new(
        "TypeProto", (1, "tensor_type"), (4, "sequence_type"), (5, "map_type"), (6, "denotation"), (8, "sparse_tensor_type"), (9, "optional_type"));

    /// <summary>The tensor type (field 1), or <see langword="null"/> for a value that is not a tensor.</summary>
    public OnnxTensorType? TensorType { get; set; }

    internal static OnnxType Read(ref ProtoReader reader)
    {
        var type = new OnnxType();
        while (reader.ReadTag())
        {
            if (reader.FieldNumber == 1)
            {
                ProtoReader tensor = reader.ReadMessage(OnnxTensorType.Info);
                type.TensorType = OnnxTensorType.Read(ref tensor);
            }
            else
            {
                reader.SkipField();
            }
        }

        return type;
    }

    internal void Write(ProtoWriter writer)
    {
        if (TensorType is not null)
        {
            int mark = writer.BeginMessage(1);
            TensorType.Write(writer);
            writer.EndMessage(mark);
        }
    }
}
