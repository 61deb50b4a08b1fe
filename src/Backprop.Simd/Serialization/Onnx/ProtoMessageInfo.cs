namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// The name of a protobuf message and of its known fields, so that every decoding error can say where it happened:
/// "field 5 (initializer) of GraphProto at offset 1234: ...".
/// </summary>
internal sealed class ProtoMessageInfo(string name, params (int Number, string Name)[] fields)
{
    /// <summary>The message name as onnx.proto spells it, e.g. <c>GraphProto</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The name of field <paramref name="number"/>, or <see langword="null"/> for a field not listed.</summary>
    public string? FieldName(int number) => Array.Find(fields, f => f.Number == number).Name;

    /// <summary>"field 5 (initializer) of GraphProto", or "field 99 of GraphProto" for a field not listed.</summary>
    public string DescribeField(int number) =>
        FieldName(number) is string field ? $"field {number} ({field}) of {Name}" : $"field {number} of {Name}";
}
