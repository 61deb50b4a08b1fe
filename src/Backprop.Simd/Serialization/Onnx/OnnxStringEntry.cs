namespace Backprop.Simd.Serialization.Onnx;

/// <summary>ONNX's <c>StringStringEntryProto</c> (key = 1, value = 2): one entry of a tensor's <c>external_data</c>.</summary>
internal sealed class OnnxStringEntry
{
    internal static readonly ProtoMessageInfo Info = new("StringStringEntryProto", (1, "key"), (2, "value"));

    /// <summary>The key (field 1).</summary>
    public string Key { get; set; } = "";

    /// <summary>The value (field 2).</summary>
    public string Value { get; set; } = "";

    internal static OnnxStringEntry Read(ref ProtoReader reader)
    {
        var entry = new OnnxStringEntry();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1:
                    entry.Key = reader.ReadString();
                    break;
                case 2:
                    entry.Value = reader.ReadString();
                    break;
                default:
                    reader.SkipField();
                    break;
            }
        }

        return entry;
    }

    internal void Write(ProtoWriter writer)
    {
        if (Key.Length != 0)
        {
            writer.WriteString(1, Key);
        }

        if (Value.Length != 0)
        {
            writer.WriteString(2, Value);
        }
    }
}
