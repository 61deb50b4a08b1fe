namespace Backprop.Simd.Serialization.Onnx;

/// <summary>ONNX's <c>TypeProto.Tensor</c>: the element type (elem_type = 1) and shape (shape = 2) of a tensor value.</summary>
internal sealed class OnnxTensorType
{
    internal static readonly ProtoMessageInfo Info = new("TypeProto.Tensor", (1, "elem_type"), (2, "shape"));

    /// <summary>The element type (field 1).</summary>
    public OnnxDataType ElementType { get; set; }

    /// <summary>The shape (field 2), or <see langword="null"/> when the rank is unknown.</summary>
    public OnnxShape? Shape { get; set; }

    internal static OnnxTensorType Read(ref ProtoReader reader)
    {
        var type = new OnnxTensorType();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1:
                    type.ElementType = (OnnxDataType)reader.ReadInt32();
                    break;
                case 2:
                    ProtoReader shape = reader.ReadMessage(OnnxShape.Info);
                    type.Shape = OnnxShape.Read(ref shape);
                    break;
                default:
                    reader.SkipField();
                    break;
            }
        }

        return type;
    }

    internal void Write(ProtoWriter writer)
    {
        if (ElementType != OnnxDataType.Undefined)
        {
            writer.WriteInt32(1, (int)ElementType);
        }

        if (Shape is not null)
        {
            int mark = writer.BeginMessage(2);
            Shape.Write(writer);
            writer.EndMessage(mark);
        }
    }
}
