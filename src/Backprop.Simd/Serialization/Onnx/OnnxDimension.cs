namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// ONNX's <c>TensorShapeProto.Dimension</c>: a fixed size (<c>dim_value</c> = 1), a named symbolic size such as
/// "batch" (<c>dim_param</c> = 2), or neither (unknown). The two are a oneof: setting one clears the other.
/// </summary>
internal sealed class OnnxDimension
{
    internal static readonly ProtoMessageInfo Info = new("TensorShapeProto.Dimension", (1, "dim_value"), (2, "dim_param"), (3, "denotation"));

    /// <summary>The fixed size (field 1), or <see langword="null"/>.</summary>
    public long? Value { get; private set; }

    /// <summary>The symbolic name (field 2), or <see langword="null"/>.</summary>
    public string? Param { get; private set; }

    /// <summary>A dimension of fixed size <paramref name="value"/>.</summary>
    public static OnnxDimension Fixed(long value) => new() { Value = value };

    /// <summary>A dimension named <paramref name="param"/>, e.g. "batch": a dynamic size.</summary>
    public static OnnxDimension Symbolic(string param)
    {
        ArgumentNullException.ThrowIfNull(param);
        return new OnnxDimension { Param = param };
    }

    /// <summary>A dimension of unknown size.</summary>
    public static OnnxDimension Unknown() => new();

    /// <inheritdoc/>
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Param ?? "?";

    internal static OnnxDimension Read(ref ProtoReader reader)
    {
        var dimension = new OnnxDimension();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1:
                    dimension.Value = reader.ReadInt64();
                    dimension.Param = null;
                    break;
                case 2:
                    dimension.Param = reader.ReadString();
                    dimension.Value = null;
                    break;
                default:
                    reader.SkipField();
                    break;
            }
        }

        return dimension;
    }

    internal void Write(ProtoWriter writer)
    {
        if (Value is long value)
        {
            writer.WriteInt64(1, value);
        }
        else if (Param is not null)
        {
            writer.WriteString(2, Param);
        }
    }
}
