namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// ONNX's <c>TensorProto.Segment</c> (begin = 1, end = 2): marks a tensor as one piece of a larger one. Kept so that
/// a model round-trips; the values of a segmented tensor cannot be read.
/// </summary>
internal sealed class OnnxTensorSegment
{
    internal static readonly ProtoMessageInfo Info = new("TensorProto.Segment", (1, "begin"), (2, "end"));

    /// <summary>The first element index of the segment (field 1).</summary>
    public long Begin { get; set; }

    /// <summary>One past the last element index of the segment (field 2).</summary>
    public long End { get; set; }

    internal static OnnxTensorSegment Read(ref ProtoReader reader)
    {
        var segment = new OnnxTensorSegment();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1:
                    segment.Begin = reader.ReadInt64();
                    break;
                case 2:
                    segment.End = reader.ReadInt64();
                    break;
                default:
                    reader.SkipField();
                    break;
            }
        }

        return segment;
    }

    internal void Write(ProtoWriter writer)
    {
        if (Begin != 0)
        {
            writer.WriteInt64(1, Begin);
        }

        if (End != 0)
        {
            writer.WriteInt64(2, End);
        }
    }
}
