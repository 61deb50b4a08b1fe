namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// ONNX's <c>TensorProto.DataType</c>: the element type of a tensor (and of a <c>TypeProto.Tensor</c>). This library reads
/// and writes tensor values of <see cref="Float"/>, <see cref="Double"/>, <see cref="Int32"/> and <see cref="Int64"/>;
/// tensors of the other types are kept as they are (so a model round-trips) but their values cannot be read.
/// </summary>
internal enum OnnxDataType
{
    /// <summary>Not set.</summary>
    Undefined = 0,

    /// <summary>32-bit IEEE float.</summary>
    Float = 1,

    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8 = 2,

    /// <summary>Signed 8-bit integer.</summary>
    Int8 = 3,

    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 4,

    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 5,

    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer.</summary>
    Int64 = 7,

    /// <summary>UTF-8 string.</summary>
    String = 8,

    /// <summary>Boolean.</summary>
    Bool = 9,

    /// <summary>IEEE half-precision float.</summary>
    Float16 = 10,

    /// <summary>64-bit IEEE float.</summary>
    Double = 11,

    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 12,

    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 13,

    /// <summary>Complex number of two 32-bit floats.</summary>
    Complex64 = 14,

    /// <summary>Complex number of two 64-bit floats.</summary>
    Complex128 = 15,

    /// <summary>Brain floating point (16 bits).</summary>
    BFloat16 = 16,
}

/// <summary>Names and sizes of <see cref="OnnxDataType"/> values, written out (no reflection).</summary>
internal static class OnnxDataTypes
{
    /// <summary>The type as onnx.proto names it with its number, e.g. "FLOAT (1)", or "data type 42" for an unknown value.</summary>
    public static string Describe(OnnxDataType type) => Name(type) is string name ? $"{name} ({(int)type})" : $"data type {(int)type}";

    /// <summary>The onnx.proto name of the type, e.g. "FLOAT", or <see langword="null"/> for a value onnx.proto 1.12 does not define.</summary>
    public static string? Name(OnnxDataType type) => type switch
    {
        OnnxDataType.Undefined => "UNDEFINED",
        OnnxDataType.Float => "FLOAT",
        OnnxDataType.UInt8 => "UINT8",
        OnnxDataType.Int8 => "INT8",
        OnnxDataType.UInt16 => "UINT16",
        OnnxDataType.Int16 => "INT16",
        OnnxDataType.Int32 => "INT32",
        OnnxDataType.Int64 => "INT64",
        OnnxDataType.String => "STRING",
        OnnxDataType.Bool => "BOOL",
        OnnxDataType.Float16 => "FLOAT16",
        OnnxDataType.Double => "DOUBLE",
        OnnxDataType.UInt32 => "UINT32",
        OnnxDataType.UInt64 => "UINT64",
        OnnxDataType.Complex64 => "COMPLEX64",
        OnnxDataType.Complex128 => "COMPLEX128",
        OnnxDataType.BFloat16 => "BFLOAT16",
        _ => null,
    };

    /// <summary>Whether this library can read and write values of the type: FLOAT, DOUBLE, INT32 and INT64.</summary>
    public static bool IsSupported(OnnxDataType type) =>
        type is OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Int32 or OnnxDataType.Int64;

    /// <summary>The size in bytes of one element of a supported type in <c>raw_data</c>.</summary>
    public static int ElementSize(OnnxDataType type) => type switch
    {
        OnnxDataType.Float or OnnxDataType.Int32 => 4,
        OnnxDataType.Double or OnnxDataType.Int64 => 8,
        _ => throw NotSupported(type, "a tensor"),
    };

    /// <summary>The <see cref="NotSupportedException"/> for values of an unsupported type in <paramref name="subject"/>.</summary>
    public static NotSupportedException NotSupported(OnnxDataType type, string subject) =>
        new($"{char.ToUpperInvariant(subject[0])}{subject[1..]} has data type {Describe(type)}, which is not supported; supported are FLOAT (1), DOUBLE (11), INT32 (6) and INT64 (7).");
}
