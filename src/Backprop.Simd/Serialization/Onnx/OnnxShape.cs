namespace Backprop.Simd.Serialization.Onnx;

/// <summary>ONNX's <c>TensorShapeProto</c>: the dimensions of a graph input, output or intermediate value (dim = 1).</summary>
internal sealed class OnnxShape
{
    internal static readonly ProtoMessageInfo Info = new("TensorShapeProto", (1, "dim"));

    /// <summary>The dimensions, outermost first (field 1).</summary>
    public List<OnnxDimension> Dims { get; } = [];

    /// <summary>Formats the shape as "[batch, 4]".</summary>
    public override string ToString() => $"[{string.Join(", ", Dims)}]";

    internal static OnnxShape Read(ref ProtoReader reader)
    {
        var shape = new OnnxShape();
        while (reader.ReadTag())
        {
            if (reader.FieldNumber == 1)
            {
                ProtoReader dim = reader.ReadMessage(OnnxDimension.Info);
                shape.Dims.Add(OnnxDimension.Read(ref dim));
            }
            else
            {
                reader.SkipField();
            }
        }

        return shape;
    }

    internal void Write(ProtoWriter writer)
    {
        foreach (OnnxDimension dim in Dims)
        {
            int mark = writer.BeginMessage(1);
            dim.Write(writer);
            writer.EndMessage(mark);
        }
    }
}
