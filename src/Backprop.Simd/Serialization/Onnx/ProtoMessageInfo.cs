namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// The name of a protobuf message and of its known fields, so that every decoding error can say where it happened:
/// "field 5 (initializer) of GraphProto at offset 1234: ...".
/// </summary>
internal sealed class ProtoMessageInfo
{
    private readonly (int Number, string Name)[] _fields;

    /// <summary>Describes the message <paramref name="name"/> with the given known fields.</summary>
    public ProtoMessageInfo(string name, params (int Number, string Name)[] fields)
    {
        Name = name;
        _fields = fields;
    }

    /// <summary>The message name as onnx.proto spells it, e.g. <c>GraphProto</c>.</summary>
    public string Name { get; }

    /// <summary>The name of field <paramref name="number"/>, or <see langword="null"/> for a field this subset does not know.</summary>
    public string? FieldName(int number)
    {
        foreach ((int Number, string Name) field in _fields)
        {
            if (field.Number == number)
            {
                return field.Name;
            }
        }

        return null;
    }

    /// <summary>"field 5 (initializer) of GraphProto", or "field 99 of GraphProto" for an unknown field.</summary>
    public string DescribeField(int number) =>
        FieldName(number) is string name ? $"field {number} ({name}) of {Name}" : $"field {number} of {Name}";
}
