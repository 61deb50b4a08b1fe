using System.Globalization;
using System.Numerics;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Reads the constant operands of an imported graph (weights, biases, means, scales) as checked double values, and
/// converts them to the element type asked for. Every error names the node and the tensor.
/// </summary>
internal static class OnnxConstants
{
    /// <summary>
    /// The values of <paramref name="tensor"/>, an operand of <paramref name="node"/>, in a graph of element type
    /// <paramref name="type"/>. Throws <see cref="NotSupportedException"/> for a data type other than FLOAT or DOUBLE,
    /// and <see cref="InvalidDataException"/> for a type that differs from the graph's or a value that is not finite.
    /// </summary>
    public static double[] Read(OnnxTensor tensor, OnnxNode node, int type)
    {
        if (tensor.Values is not double[] values)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: {tensor.Describe()} has data type {OnnxTensor.DescribeType(tensor.DataType)}, which is not supported; weights must be FLOAT (1) or DOUBLE (11).");
        }

        if (tensor.DataType != type)
        {
            throw new InvalidDataException(
                $"{node.Describe()}: {tensor.Describe()} holds {OnnxTensor.DescribeType(tensor.DataType)} values but the graph input is {OnnxTensor.DescribeType(type)}.");
        }

        // A copy: the layer read from it may change it (an Add, a folded BatchNormalization), and a constant may be read twice.
        int bad = Array.FindIndex(values, v => !double.IsFinite(v));
        return bad < 0 ? (double[])values.Clone() : throw new InvalidDataException($"{node.Describe()}: {tensor.Describe()} holds {values[bad]} at index {bad}; constants must be finite.");
    }

    /// <summary>The one value of a constant with one element (a scalar, or dims such as [1]), or <see langword="null"/> for more or fewer.</summary>
    public static double? Scalar(OnnxTensor tensor, OnnxNode node, int type) =>
        tensor.Dims.All(d => d == 1) ? Read(tensor, node, type)[0] : null;

    /// <summary>
    /// The values that <paramref name="tensor"/> combines with each sample of data [batch x <paramref name="featureDims"/>],
    /// broadcast as ONNX does and flattened row-major: one per feature. Supported are constants the same for every
    /// sample, whose dimensions (after any leading 1s) are a scalar or match the trailing data dimensions, e.g. [],
    /// [1], [n], [1, n] on [batch x n] or [3], [2, 3] on [batch x 2 x 3]. Other valid broadcasts (a row per sample, a
    /// 1 inside the feature dimensions, more dimensions than the data) give <see cref="NotSupportedException"/>;
    /// dimensions that do not broadcast give <see cref="InvalidDataException"/>.
    /// </summary>
    public static double[] Row(OnnxTensor tensor, OnnxNode node, int type, ReadOnlySpan<long> featureDims)
    {
        long[] dims = tensor.Dims;
        string data = $"data [batch x {string.Join(" x ", featureDims.ToArray())}]";
        int offset = featureDims.Length + 1 - dims.Length; // dims[i] lines up with data axis i + offset; axis 0 is the batch
        if (offset < 0 || (offset == 0 && dims[0] != 1))
        {
            throw new NotSupportedException(
                $"{node.Describe()}: {tensor.Describe()} has dims {OnnxTensor.FormatDims(dims)}, applied to {data}; only constants the same for every sample are supported.");
        }

        int first = -1; // the first feature axis the constant does not broadcast along
        for (int i = Math.Max(0, 1 - offset); i < dims.Length; i++)
        {
            long feature = featureDims[i + offset - 1];
            if (dims[i] != 1 && dims[i] != feature)
            {
                throw new InvalidDataException(
                    $"{node.Describe()}: {tensor.Describe()} has dims {OnnxTensor.FormatDims(dims)}, which do not broadcast to the {data} it applies to.");
            }

            if (first < 0 && dims[i] == feature && feature != 1)
            {
                first = i;
            }
            else if (first >= 0 && dims[i] != feature)
            {
                throw new NotSupportedException(
                    $"{node.Describe()}: {tensor.Describe()} has dims {OnnxTensor.FormatDims(dims)}, which repeat along a feature dimension of {data}; not supported.");
            }
        }

        // The values repeat once per element of the feature dimensions they do not cover.
        double[] values = Read(tensor, node, type);
        long width = 1;
        foreach (long feature in featureDims)
        {
            width *= feature;
        }

        if (values.Length == width)
        {
            return values;
        }

        var row = new double[width];
        for (int i = 0; i < row.Length; i += values.Length)
        {
            values.CopyTo(row, i);
        }

        return row;
    }

    /// <summary>The shortest decimal that rounds to <paramref name="value"/>, such as 0.01 for 0.01f: the value a float constant was most likely written as.</summary>
    public static double ShortestDecimal(float value) =>
        double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="values"/> rounded to <typeparamref name="T"/>; a value beyond its range (a double model imported
    /// as float) gives <see cref="NotSupportedException"/> naming <paramref name="what"/> and the node.
    /// </summary>
    public static T[] Convert<T>(ReadOnlySpan<double> values, OnnxNode node, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = T.CreateTruncating(values[i]);
            if (!T.IsFinite(result[i]))
            {
                throw new NotSupportedException(
                    $"{node.Describe()}: value {values[i]} at index {i} of the {what} is beyond the range of {typeof(T).Name}; import the model as double.");
            }
        }

        return result;
    }
}
