namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// A node's named constant parameter (e.g. Gemm's transB), of the kinds a chain reads: one float, int, string or tensor,
/// or a list of ints. Values of other kinds (graphs, lists of floats, strings or tensors) are skipped when read, and
/// such an attribute reads as UNDEFINED.
/// </summary>
internal sealed class OnnxAttribute
{
    /// <summary>The AttributeProto.AttributeType values read.</summary>
    public const int FloatType = 1, IntType = 2, StringType = 3, TensorType = 4, IntsType = 7;

    private static readonly string[] s_typeNames =
        ["UNDEFINED", "FLOAT", "INT", "STRING", "TENSOR", "GRAPH", "FLOATS", "INTS", "STRINGS", "TENSORS", "GRAPHS", "SPARSE_TENSOR", "SPARSE_TENSORS", "TYPE_PROTO", "TYPE_PROTOS"];

    /// <summary>The attribute name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The declared type, an AttributeProto.AttributeType value; 0 when the model does not say (IR version 1).</summary>
    public int Type { get; set; }

    /// <summary>The FLOAT value.</summary>
    public float? F { get; set; }

    /// <summary>The INT value.</summary>
    public long? I { get; set; }

    /// <summary>The STRING value as bytes, normally UTF-8 text.</summary>
    public byte[]? S { get; set; }

    /// <summary>The TENSOR value.</summary>
    public OnnxTensor? T { get; set; }

    /// <summary>The INTS value.</summary>
    public List<long> Ints { get; } = [];

    /// <summary>Inside a function body, the name of the function attribute this one refers to.</summary>
    public string RefAttrName { get; set; } = "";

    /// <summary>
    /// <see cref="Type"/>, or when that is 0 (IR version 1 models), the type implied by the one value field that is set.
    /// </summary>
    public int EffectiveType =>
        Type != 0 ? Type : F is not null ? FloatType : I is not null ? IntType : S is not null ? StringType : T is not null ? TensorType : Ints.Count != 0 ? IntsType : 0;

    /// <summary>The type as onnx.proto names it, e.g. "INT", or "type 42" for an unknown value.</summary>
    public static string TypeName(int type) => (uint)type < s_typeNames.Length ? s_typeNames[type] : $"type {type}";
}
