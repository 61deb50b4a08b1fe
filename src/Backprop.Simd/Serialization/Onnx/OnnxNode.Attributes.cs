using System.Text;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Checked access to a node's attributes by name. An absent attribute yields the caller's default; a present one
/// must have the expected type, or <see cref="InvalidDataException"/> names the node, the attribute and both types
/// ("node '/0/Gemm' (Gemm): attribute 'transB' has type FLOAT, expected INT"). A typed attribute whose value field
/// is absent has protobuf's default value (0, empty), as protobuf itself would read it.
/// </summary>
internal sealed partial class OnnxNode
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The attribute named <paramref name="name"/>, or <see langword="null"/>. Throws <see cref="InvalidDataException"/>
    /// when the name occurs twice, and <see cref="NotSupportedException"/> for a reference to a function attribute.
    /// </summary>
    public OnnxAttribute? FindAttribute(string name)
    {
        OnnxAttribute? found = null;
        foreach (OnnxAttribute attribute in Attributes)
        {
            if (attribute.Name != name)
            {
                continue;
            }

            if (found is not null)
            {
                throw new InvalidDataException($"{Describe()}: attribute '{name}' is given twice.");
            }

            found = attribute;
        }

        if (found is not null && found.RefAttrName.Length != 0)
        {
            throw new NotSupportedException(
                $"{Describe()}: attribute '{name}' refers to the function attribute '{found.RefAttrName}', which is not supported.");
        }

        return found;
    }

    /// <summary>The INT attribute <paramref name="name"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public long GetInt(string name, long defaultValue) => Find(name, OnnxAttributeType.Int) is { } a ? a.I ?? 0 : defaultValue;

    /// <summary>The INT attribute <paramref name="name"/> as a flag that must be 0 or 1 (e.g. Gemm's transA), or <paramref name="defaultValue"/>.</summary>
    public bool GetBool(string name, bool defaultValue)
    {
        long value = GetInt(name, defaultValue ? 1 : 0);
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw new InvalidDataException($"{Describe()}: attribute '{name}' is {value}, but must be 0 or 1."),
        };
    }

    /// <summary>The FLOAT attribute <paramref name="name"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public float GetFloat(string name, float defaultValue) => Find(name, OnnxAttributeType.Float) is { } a ? a.F ?? 0f : defaultValue;

    /// <summary>The STRING attribute <paramref name="name"/> decoded as UTF-8, or <paramref name="defaultValue"/> when absent.</summary>
    public string GetString(string name, string defaultValue)
    {
        if (Find(name, OnnxAttributeType.String) is not { } attribute)
        {
            return defaultValue;
        }

        try
        {
            return s_strictUtf8.GetString(attribute.S ?? []);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"{Describe()}: attribute '{name}' is not valid UTF-8.");
        }
    }

    /// <summary>The INTS attribute <paramref name="name"/>, or <see langword="null"/> when absent.</summary>
    public IReadOnlyList<long>? GetInts(string name) => Find(name, OnnxAttributeType.Ints)?.Ints;

    /// <summary>The FLOATS attribute <paramref name="name"/>, or <see langword="null"/> when absent.</summary>
    public IReadOnlyList<float>? GetFloats(string name) => Find(name, OnnxAttributeType.Floats)?.Floats;

    /// <summary>The TENSOR attribute <paramref name="name"/> (e.g. a Constant's value), or <see langword="null"/> when absent or empty.</summary>
    public OnnxTensor? GetTensor(string name) => Find(name, OnnxAttributeType.Tensor)?.T;

    /// <summary>
    /// Throws <see cref="NotSupportedException"/> naming the first attribute whose name is not in
    /// <paramref name="supported"/>, so that an importer never silently ignores one that changes the result.
    /// </summary>
    public void EnsureOnlyAttributes(params ReadOnlySpan<string> supported)
    {
        foreach (OnnxAttribute attribute in Attributes)
        {
            if (!supported.Contains(attribute.Name))
            {
                string list = supported.IsEmpty ? "none" : string.Join(", ", supported.ToArray());
                throw new NotSupportedException(
                    $"{Describe()}: attribute '{attribute.Name}' is not supported; supported attributes of {OpType} are {list}.");
            }
        }
    }

    private OnnxAttribute? Find(string name, OnnxAttributeType expected)
    {
        OnnxAttribute? attribute = FindAttribute(name);
        if (attribute is null)
        {
            return null;
        }

        OnnxAttributeType actual = attribute.EffectiveType;
        if (actual != expected)
        {
            throw new InvalidDataException(
                $"{Describe()}: attribute '{name}' has type {OnnxAttributeTypes.Name(actual)}, expected {OnnxAttributeTypes.Name(expected)}.");
        }

        return attribute;
    }
}
