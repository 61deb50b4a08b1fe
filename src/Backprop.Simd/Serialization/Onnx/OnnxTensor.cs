using System.Globalization;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// A tensor as the chain reader keeps it (an initializer or a Constant's value): its name, dims and data type, and the
/// values of the types a chain uses, FLOAT and DOUBLE as exact doubles, INT64 and BOOL as integers. Reading checked
/// that they match the dims; the values of other types are not read.
/// </summary>
internal sealed class OnnxTensor(string name, long[] dims, int dataType)
{
    /// <summary>The data types whose values are read (TensorProto.DataType).</summary>
    public const int Float = 1, Int64 = 7, Bool = 9, Double = 11;

    private static readonly string[] s_typeNames =
        ["UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"];

    /// <summary>The name; initializers are referred to by it.</summary>
    public string Name { get; } = name;

    /// <summary>The shape; empty for a scalar.</summary>
    public long[] Dims { get; } = dims;

    /// <summary>The element type, a TensorProto.DataType value.</summary>
    public int DataType { get; } = dataType;

    /// <summary>The values of a FLOAT or DOUBLE tensor, row-major; null for other types.</summary>
    public double[]? Values { get; init; }

    /// <summary>The values of an INT64 or BOOL tensor; null for other types.</summary>
    public long[]? Integers { get; init; }

    /// <summary>"tensor 'fc.weight'", or "unnamed tensor": how error messages name this tensor.</summary>
    public string Describe() => Name.Length != 0 ? $"tensor '{Name}'" : "unnamed tensor";

    /// <summary>The type as onnx.proto names it with its number, e.g. "FLOAT (1)", or "data type 42" for one it does not name.</summary>
    public static string DescribeType(int type) => (uint)type < s_typeNames.Length ? $"{s_typeNames[type]} ({type})" : $"data type {type}";

    /// <summary>Formats dims as "[8, 4]".</summary>
    public static string FormatDims(IEnumerable<long> dims) => $"[{string.Join(", ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)))}]";
}
