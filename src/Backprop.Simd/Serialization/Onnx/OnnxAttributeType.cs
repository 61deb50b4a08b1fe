namespace Backprop.Simd.Serialization.Onnx;

/// <summary>ONNX's <c>AttributeProto.AttributeType</c>: which value field of an attribute is in use.</summary>
internal enum OnnxAttributeType
{
    /// <summary>Not set (IR version 1 models, which omit the type).</summary>
    Undefined = 0,

    /// <summary>One float in <c>f</c>.</summary>
    Float = 1,

    /// <summary>One int64 in <c>i</c>.</summary>
    Int = 2,

    /// <summary>One byte string (UTF-8 text) in <c>s</c>.</summary>
    String = 3,

    /// <summary>One tensor in <c>t</c>.</summary>
    Tensor = 4,

    /// <summary>One graph in <c>g</c>.</summary>
    Graph = 5,

    /// <summary>A list of floats in <c>floats</c>.</summary>
    Floats = 6,

    /// <summary>A list of int64 in <c>ints</c>.</summary>
    Ints = 7,

    /// <summary>A list of byte strings in <c>strings</c>.</summary>
    Strings = 8,

    /// <summary>A list of tensors in <c>tensors</c>.</summary>
    Tensors = 9,

    /// <summary>A list of graphs in <c>graphs</c>.</summary>
    Graphs = 10,

    /// <summary>One sparse tensor (not read by this library).</summary>
    SparseTensor = 11,

    /// <summary>A list of sparse tensors (not read by this library).</summary>
    SparseTensors = 12,

    /// <summary>One type proto (not read by this library).</summary>
    TypeProto = 13,

    /// <summary>A list of type protos (not read by this library).</summary>
    TypeProtos = 14,
}

/// <summary>Names of <see cref="OnnxAttributeType"/> values, written out (no reflection).</summary>
internal static class OnnxAttributeTypes
{
    /// <summary>The type as onnx.proto names it, e.g. "INT", or "type 42" for an unknown value.</summary>
    public static string Name(OnnxAttributeType type) => type switch
    {
        OnnxAttributeType.Undefined => "UNDEFINED",
        OnnxAttributeType.Float => "FLOAT",
        OnnxAttributeType.Int => "INT",
        OnnxAttributeType.String => "STRING",
        OnnxAttributeType.Tensor => "TENSOR",
        OnnxAttributeType.Graph => "GRAPH",
        OnnxAttributeType.Floats => "FLOATS",
        OnnxAttributeType.Ints => "INTS",
        OnnxAttributeType.Strings => "STRINGS",
        OnnxAttributeType.Tensors => "TENSORS",
        OnnxAttributeType.Graphs => "GRAPHS",
        OnnxAttributeType.SparseTensor => "SPARSE_TENSOR",
        OnnxAttributeType.SparseTensors => "SPARSE_TENSORS",
        OnnxAttributeType.TypeProto => "TYPE_PROTO",
        OnnxAttributeType.TypeProtos => "TYPE_PROTOS",
        _ => $"type {(int)type}",
    };
}
