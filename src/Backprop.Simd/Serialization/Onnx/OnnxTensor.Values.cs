using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>Reading, checking and creating the values of a tensor.</summary>
internal sealed partial class OnnxTensor
{
    /// <summary>
    /// The number of elements, the product of <see cref="Dims"/> (1 for a scalar). Throws
    /// <see cref="InvalidDataException"/> for a negative dimension or a product that overflows 64 bits.
    /// </summary>
    public long ElementCount => CountElements(messageOffset: -1);

    /// <summary>"tensor 'fc.weight'", or "unnamed tensor": how error messages name this tensor.</summary>
    public string Describe() => Name.Length != 0 ? $"tensor '{Name}'" : "unnamed tensor";

    /// <summary>The values of a FLOAT tensor, from <see cref="RawData"/> or <see cref="FloatData"/>; see <see cref="ToInt64Array"/> for the errors.</summary>
    public float[] ToSingleArray() => ReadValues(OnnxDataType.Float, FloatData);

    /// <summary>The values of a DOUBLE tensor, from <see cref="RawData"/> or <see cref="DoubleData"/>.</summary>
    public double[] ToDoubleArray() => ReadValues(OnnxDataType.Double, DoubleData);

    /// <summary>The values of an INT32 tensor, from <see cref="RawData"/> or <see cref="Int32Data"/>.</summary>
    public int[] ToInt32Array() => ReadValues(OnnxDataType.Int32, Int32Data);

    /// <summary>
    /// The values of an INT64 tensor, from <see cref="RawData"/> or <see cref="Int64Data"/>, as a new array. Throws
    /// <see cref="NotSupportedException"/> for external data, a segment or an unsupported data type, and
    /// <see cref="InvalidDataException"/> when the tensor holds another type or its values do not match its dims.
    /// </summary>
    public long[] ToInt64Array() => ReadValues(OnnxDataType.Int64, Int64Data);

    /// <summary>A FLOAT tensor holding <paramref name="values"/> (row-major) in <c>raw_data</c>, or in <c>float_data</c> when <paramref name="useRawData"/> is false.</summary>
    public static OnnxTensor Create(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values, bool useRawData = true) =>
        CreateCore(name, dims, OnnxDataType.Float, values, useRawData);

    /// <summary>A DOUBLE tensor holding <paramref name="values"/> in <c>raw_data</c> or <c>double_data</c>.</summary>
    public static OnnxTensor Create(string name, ReadOnlySpan<long> dims, ReadOnlySpan<double> values, bool useRawData = true) =>
        CreateCore(name, dims, OnnxDataType.Double, values, useRawData);

    /// <summary>An INT32 tensor holding <paramref name="values"/> in <c>raw_data</c> or <c>int32_data</c>.</summary>
    public static OnnxTensor Create(string name, ReadOnlySpan<long> dims, ReadOnlySpan<int> values, bool useRawData = true) =>
        CreateCore(name, dims, OnnxDataType.Int32, values, useRawData);

    /// <summary>An INT64 tensor holding <paramref name="values"/> in <c>raw_data</c> or <c>int64_data</c>.</summary>
    public static OnnxTensor Create(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> values, bool useRawData = true) =>
        CreateCore(name, dims, OnnxDataType.Int64, values, useRawData);

    /// <summary>Formats dims as "[8, 4]".</summary>
    internal static string FormatDims(ReadOnlySpan<long> dims)
    {
        var parts = new string[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            parts[i] = dims[i].ToString(CultureInfo.InvariantCulture);
        }

        return $"[{string.Join(", ", parts)}]";
    }

    /// <summary>
    /// Checks the dims, and for a tensor whose values can be read, that exactly one source holds exactly
    /// <see cref="ElementCount"/> values. Messages start with "TensorProto at offset 12: " when
    /// <paramref name="messageOffset"/> (where the tensor was decoded from) is not negative.
    /// </summary>
    internal void Validate(int messageOffset)
    {
        long count = CountElements(messageOffset);
        if (DataLocation == OnnxDataLocation.External || Segment is not null || !OnnxDataTypes.IsSupported(DataType))
        {
            return;
        }

        (string field, int typedCount) = DataType switch
        {
            OnnxDataType.Float => ("float_data", FloatData.Length),
            OnnxDataType.Double => ("double_data", DoubleData.Length),
            OnnxDataType.Int32 => ("int32_data", Int32Data.Length),
            _ => ("int64_data", Int64Data.Length),
        };
        CheckUnused(messageOffset, field, "float_data", FloatData.Length);
        CheckUnused(messageOffset, field, "double_data", DoubleData.Length);
        CheckUnused(messageOffset, field, "int32_data", Int32Data.Length);
        CheckUnused(messageOffset, field, "int64_data", Int64Data.Length);
        CheckUnused(messageOffset, field, "uint64_data", UInt64Data.Length);
        CheckUnused(messageOffset, field, "string_data", StringData.Count);
        if (RawData is not null)
        {
            if (typedCount != 0)
            {
                throw Invalid(messageOffset, $"has values in both raw_data and {field}");
            }

            int size = OnnxDataTypes.ElementSize(DataType);
            if (RawData.Length % size != 0 || RawData.Length / size != count)
            {
                throw Invalid(messageOffset, $"has dims {FormatDims(Dims)} ({count} elements) but raw_data holds {RawData.Length} bytes, not {count} x {size}");
            }
        }
        else if (typedCount != count)
        {
            throw Invalid(messageOffset, $"has dims {FormatDims(Dims)} ({count} elements) but {field} holds {typedCount} values");
        }
    }

    /// <summary>"TensorProto at offset 12: tensor 'w' of type FLOAT (1) {problem}." (without the location when the offset is negative).</summary>
    private InvalidDataException Invalid(int messageOffset, string problem) =>
        new($"{Location(messageOffset)}{Describe()} of type {OnnxDataTypes.Describe(DataType)} {problem}.");

    /// <summary>"TensorProto at offset 12: " for a tensor decoded from that offset, else "".</summary>
    private static string Location(int messageOffset) => messageOffset < 0 ? "" : $"TensorProto at offset {messageOffset}: ";

    private void CheckUnused(int messageOffset, string expected, string field, int count)
    {
        if (count != 0 && field != expected)
        {
            throw Invalid(messageOffset, $"has {count} values in {field}; its values belong in {expected} or raw_data");
        }
    }

    private long CountElements(int messageOffset)
    {
        bool empty = false;
        foreach (long dim in Dims)
        {
            if (dim < 0)
            {
                throw new InvalidDataException($"{Location(messageOffset)}{Describe()} has a negative dimension in dims {FormatDims(Dims)}.");
            }

            empty |= dim == 0;
        }

        if (empty)
        {
            return 0;
        }

        long count = 1;
        foreach (long dim in Dims)
        {
            if (count > long.MaxValue / dim)
            {
                throw new InvalidDataException($"{Location(messageOffset)}{Describe()} has dims {FormatDims(Dims)} whose product overflows 64 bits.");
            }

            count *= dim;
        }

        return count;
    }

    private T[] ReadValues<T>(OnnxDataType type, T[] typed)
        where T : unmanaged
    {
        if (DataLocation == OnnxDataLocation.External)
        {
            throw new NotSupportedException($"{Describe()} keeps its values in external data (data_location = EXTERNAL), which is not supported.");
        }

        if (Segment is not null)
        {
            throw new NotSupportedException($"{Describe()} is a segment of a larger tensor, which is not supported.");
        }

        if (!OnnxDataTypes.IsSupported(DataType))
        {
            throw OnnxDataTypes.NotSupported(DataType, Describe());
        }

        if (DataType != type)
        {
            throw new InvalidDataException($"{Describe()} holds {OnnxDataTypes.Describe(DataType)} values, not {OnnxDataTypes.Describe(type)}.");
        }

        Validate(messageOffset: -1);
        if (RawData is null)
        {
            return typed.AsSpan().ToArray();
        }

        int size = Unsafe.SizeOf<T>();
        var values = new T[RawData.Length / size];
        Span<byte> destination = MemoryMarshal.AsBytes(values.AsSpan());
        RawData.CopyTo(destination);
        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < destination.Length; i += size)
            {
                destination.Slice(i, size).Reverse();
            }
        }

        return values;
    }

    private static OnnxTensor CreateCore<T>(string name, ReadOnlySpan<long> dims, OnnxDataType type, ReadOnlySpan<T> values, bool useRawData)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(name);
        var tensor = new OnnxTensor { Name = name, DataType = type, Dims = dims.ToArray() };
        long count;
        try
        {
            count = tensor.CountElements(messageOffset: -1);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException(e.Message, nameof(dims), e);
        }

        if (count != values.Length)
        {
            throw new ArgumentException(
                $"Dims {FormatDims(dims)} describe {count} elements but {values.Length} values were given for {tensor.Describe()}.", nameof(values));
        }

        if (useRawData)
        {
            byte[] raw = MemoryMarshal.AsBytes(values).ToArray();
            if (!BitConverter.IsLittleEndian)
            {
                int size = Unsafe.SizeOf<T>();
                for (int i = 0; i < raw.Length; i += size)
                {
                    raw.AsSpan(i, size).Reverse();
                }
            }

            tensor.RawData = raw;
            return tensor;
        }

        switch (type)
        {
            case OnnxDataType.Float:
                tensor.FloatData = MemoryMarshal.Cast<T, float>(values).ToArray();
                break;
            case OnnxDataType.Double:
                tensor.DoubleData = MemoryMarshal.Cast<T, double>(values).ToArray();
                break;
            case OnnxDataType.Int32:
                tensor.Int32Data = MemoryMarshal.Cast<T, int>(values).ToArray();
                break;
            default:
                tensor.Int64Data = MemoryMarshal.Cast<T, long>(values).ToArray();
                break;
        }

        return tensor;
    }
}
