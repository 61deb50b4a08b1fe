using System.Text;
using Backprop.Simd.Layers;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// One operator call as read from a model, e.g. Gemm(X, W, B) -> Y, with checked access to its attributes by name. An
/// absent attribute yields the caller's default; a present one must have the expected type, or
/// <see cref="InvalidDataException"/> names the node, the attribute and both types ("node '/0/Gemm' (Gemm): attribute
/// 'transB' has type FLOAT, expected INT"). An empty input name means an omitted optional input.
/// </summary>
internal sealed class OnnxNode : IOnnxNode
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The node name, optional.</summary>
    public string Name { get; init; } = "";

    /// <summary>The operator, e.g. "Gemm".</summary>
    public string OpType { get; init; } = "";

    /// <summary>The operator set domain; "" (or "ai.onnx") is the default ONNX domain.</summary>
    public string Domain { get; init; } = "";

    /// <summary>The input value names.</summary>
    public List<string> Inputs { get; init; } = [];

    /// <summary>The output value names.</summary>
    public List<string> Outputs { get; init; } = [];

    /// <summary>The attributes.</summary>
    public List<OnnxAttribute> Attributes { get; init; } = [];

    /// <summary>Whether the operator is of the default ONNX domain, "" or "ai.onnx".</summary>
    public bool IsDefaultDomain => Domain is "" or "ai.onnx";

    /// <summary>"node '/0/Gemm' (Gemm)", or "Gemm node producing 'y'" when unnamed: how error messages name this node.</summary>
    public string Describe()
    {
        string op = IsDefaultDomain ? OpType : $"{Domain}.{OpType}";
        return Name.Length != 0 ? $"node '{Name}' ({op})" : Outputs.Count != 0 ? $"{op} node producing '{Outputs[0]}'" : $"{op} node";
    }

    /// <summary>Whether this is a default-domain node of operator <paramref name="opType"/>.</summary>
    public bool Is(string opType) => OpType == opType && IsDefaultDomain;

    /// <summary>The INT attribute <paramref name="name"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public long GetInt(string name, long defaultValue) => Find(name, OnnxAttribute.IntType) is { } a ? a.I ?? 0 : defaultValue;

    /// <summary>The INT attribute <paramref name="name"/> as a flag that must be 0 or 1 (e.g. Gemm's transA), or <paramref name="defaultValue"/>.</summary>
    public bool GetBool(string name, bool defaultValue) => GetInt(name, defaultValue ? 1 : 0) switch
    {
        0 => false,
        1 => true,
        long value => throw new InvalidDataException($"{Describe()}: attribute '{name}' is {value}, but must be 0 or 1."),
    };

    /// <summary>The FLOAT attribute <paramref name="name"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public float GetFloat(string name, float defaultValue) => Find(name, OnnxAttribute.FloatType) is { } a ? a.F ?? 0f : defaultValue;

    /// <inheritdoc/>
    public double GetNumber(string name, double defaultValue) =>
        Find(name, OnnxAttribute.FloatType) is { } a ? OnnxConstants.ShortestDecimal(a.F ?? 0f) : defaultValue;

    /// <summary>The STRING attribute <paramref name="name"/> decoded as UTF-8, or <paramref name="defaultValue"/> when absent.</summary>
    public string GetString(string name, string defaultValue)
    {
        if (Find(name, OnnxAttribute.StringType) is not { } attribute)
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
    public IReadOnlyList<long>? GetInts(string name) => Find(name, OnnxAttribute.IntsType)?.Ints;

    /// <summary>The TENSOR attribute <paramref name="name"/> (e.g. a Constant's value), or <see langword="null"/> when absent or empty.</summary>
    public OnnxTensor? GetTensor(string name) => Find(name, OnnxAttribute.TensorType)?.T;

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

    /// <summary>
    /// The attribute named <paramref name="name"/> of type <paramref name="expected"/>, or <see langword="null"/>.
    /// Throws <see cref="InvalidDataException"/> when the name occurs twice or the type differs, and
    /// <see cref="NotSupportedException"/> for a reference to a function attribute.
    /// </summary>
    private OnnxAttribute? Find(string name, int expected)
    {
        OnnxAttribute? found = null;
        foreach (OnnxAttribute attribute in Attributes)
        {
            if (attribute.Name == name)
            {
                found = found is null ? attribute : throw new InvalidDataException($"{Describe()}: attribute '{name}' is given twice.");
            }
        }

        if (found is null)
        {
            return null;
        }

        if (found.RefAttrName.Length != 0)
        {
            throw new NotSupportedException($"{Describe()}: attribute '{name}' refers to the function attribute '{found.RefAttrName}', which is not supported.");
        }

        int actual = found.EffectiveType;
        return actual == expected ? found : throw new InvalidDataException(
            $"{Describe()}: attribute '{name}' has type {OnnxAttribute.TypeName(actual)}, expected {OnnxAttribute.TypeName(expected)}.");
    }
}
