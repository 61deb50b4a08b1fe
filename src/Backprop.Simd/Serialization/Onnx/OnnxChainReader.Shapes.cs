using System.Globalization;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Changes of shape to [batch x features]: Flatten (axis 1), and Reshape to a constant target such as [-1, 784] or
/// [0, -1], or to a target computed from the data's own shape, as torch.onnx.export writes <c>x.view(x.size(0), -1)</c>:
/// Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])). Such a target is evaluated here, with the batch size as a
/// symbol, through at most <see cref="MaxShapeDepth"/> nodes and <see cref="MaxShapeElements"/> elements.
/// </summary>
internal sealed partial class OnnxChainReader
{
    private const int MaxShapeDepth = 16;
    private const int MaxShapeElements = 16;

    /// <summary>The symbolic elements of a shape: the batch size, and a dimension the input shape does not fix.</summary>
    private const long BatchSize = long.MinValue, Unknown = long.MinValue + 1;

    private readonly Dictionary<string, (int? Rank, long[]? FeatureDims)> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long[] Values, bool IsScalar)> _shapeValues = new(StringComparer.Ordinal);

    /// <summary>Remembers the shape of the data <paramref name="value"/> for a Shape that reads it.</summary>
    private void RecordShape(string value) => _shapes[value] = (_rank, _featureDims);

    private void Flatten(OnnxNode node)
    {
        Unary(node, "axis");
        long axis = node.GetInt("axis", 1);
        if ((axis < 0 && _rank is int rank ? axis + rank : axis) != 1)
        {
            throw new NotSupportedException($"{node.Describe()}: axis {axis} is not supported; only Flatten to [batch x features] (axis 1) is.");
        }

        _rank = 2;
        _featureDims = Features is int features ? [features] : null;
    }

    private void Reshape(OnnxNode node, string value)
    {
        node.EnsureOnlyAttributes("allowzero");
        CheckArity(node, 2, 2);
        if (node.Inputs[0] != value)
        {
            throw new NotSupportedException($"{node.Describe()}: the data '{value}' is not the first input; only Reshape(data, shape) is supported.");
        }

        bool copiesZeros = !node.GetBool("allowzero", false);
        long[] target = ShapeValue(node, 1, depth: 0).Values;
        long features = _featureDims is null ? Unknown : Product(_featureDims);
        string shown = $"[{string.Join(", ", target.Select(Show))}]";
        if (target.Length != 2 || target[0] is < -1 and not BatchSize || target[1] < -1 || target.Count(t => t == -1) > 1 || (!copiesZeros && target.Contains(0)))
        {
            throw new NotSupportedException($"{node.Describe()}: Reshape to {shown} is not supported; only a Reshape to [batch x features] is, such as [-1, {Show(features)}] or [0, -1].");
        }

        // The width after the Reshape: -1 keeps every feature, 0 copies dimension 1, k > 0 must match the features.
        long width = target[1] switch
        {
            -1 => features,
            0 => _rank == 2 ? features : throw new NotSupportedException($"{node.Describe()}: Reshape to {shown} of data of rank {_rank} would change the batch."),
            long k when features == Unknown || k == features => k,
            _ => throw new InvalidDataException($"{node.Describe()}: Reshape to {shown} does not fit data of {features} features per sample (it would change the batch)."),
        };
        if (target[0] > 0 && target[0] != _batch)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: Reshape to {shown} fixes the batch size at {target[0]}; export with a dynamic batch axis (torch.onnx.export(..., dynamic_axes={{'input': {{0: 'batch'}}}})) or write x.view(x.size(0), -1).");
        }

        if (target[0] == -1 && width == Unknown)
        {
            throw new NotSupportedException($"{node.Describe()}: Reshape to {shown} keeps the batch only where the features per sample are known, and the input shape does not fix them.");
        }

        _rank = 2;
        _featureDims = width == Unknown ? null : [width];
    }

    private static string Show(long element) =>
        element == BatchSize ? "batch" : element == Unknown ? "?" : element.ToString(CultureInfo.InvariantCulture);

    /// <summary>The value of the shape tensor feeding input <paramref name="index"/> of <paramref name="consumer"/>: a constant, or computed from a Shape.</summary>
    private (long[] Values, bool IsScalar) ShapeValue(OnnxNode consumer, int index, int depth)
    {
        string name = index < consumer.Inputs.Count ? consumer.Inputs[index] : "";
        if (_shapeValues.TryGetValue(name, out (long[], bool) known))
        {
            return known;
        }

        if (depth >= MaxShapeDepth)
        {
            throw new NotSupportedException($"{consumer.Describe()}: its shape input is computed through more than {MaxShapeDepth} nodes, which is not supported.");
        }

        (long[] Values, bool IsScalar) value;
        OnnxNode? producer = _graph.GetProducer(name);
        if (producer is null || producer.Is("Constant") || producer.Is("Identity"))
        {
            OnnxTensor tensor = GetConstantInput(consumer, index);
            value = tensor.DataType == OnnxTensor.Int64 && tensor.Dims.Length <= 1
                ? (tensor.Integers!, tensor.Dims.Length == 0)
                : throw new InvalidDataException($"{consumer.Describe()}: {tensor.Describe()} is a shape, which must be INT64 of rank 0 or 1, not {OnnxTensor.DescribeType(tensor.DataType)} with dims {OnnxTensor.FormatDims(tensor.Dims)}.");
        }
        else
        {
            Visit(producer);
            value = producer.OpType switch
            {
                _ when !producer.IsDefaultDomain => throw ShapeUnsupported(producer, consumer),
                "Shape" => ShapeOf(producer),
                "Gather" => Gather(producer, depth + 1),
                "Unsqueeze" => Unsqueeze(producer, depth + 1),
                "Concat" => Concat(producer, depth + 1),
                _ => throw ShapeUnsupported(producer, consumer),
            };
        }

        if (value.Values.Length > MaxShapeElements)
        {
            throw new NotSupportedException($"{consumer.Describe()}: input {index} has {value.Values.Length} elements; a shape of at most {MaxShapeElements} is supported.");
        }

        return _shapeValues[name] = value;
    }

    private static NotSupportedException ShapeUnsupported(OnnxNode producer, OnnxNode consumer) =>
        new($"{producer.Describe()} computes a shape for {consumer.Describe()}; only Shape, Gather, Unsqueeze, Concat and constants are supported there.");

    private (long[], bool) ShapeOf(OnnxNode node)
    {
        Unary(node);
        if (!_shapes.TryGetValue(node.Inputs[0], out (int? Rank, long[]? FeatureDims) shape) || shape.Rank is not int rank)
        {
            throw new NotSupportedException($"{node.Describe()}: the shape of '{node.Inputs[0]}' is not known where it is read; only the shape of data before it on the chain, whose rank the input shape gives, is supported.");
        }

        return ([BatchSize, .. shape.FeatureDims ?? Enumerable.Repeat(Unknown, rank - 1)], false);
    }

    private (long[], bool) Gather(OnnxNode node, int depth)
    {
        node.EnsureOnlyAttributes("axis");
        CheckArity(node, 2, 2);
        (long[] data, bool scalar) = ShapeValue(node, 0, depth);
        (long[] indices, bool single) = ShapeValue(node, 1, depth);
        if (scalar || node.GetInt("axis", 0) is not (0 or -1))
        {
            throw new NotSupportedException($"{node.Describe()}: only Gather along the one axis of a shape is supported.");
        }

        return ([.. indices.Select(i => i >= -data.Length && i < data.Length ? data[i < 0 ? i + data.Length : i]
            : throw new InvalidDataException($"{node.Describe()}: index {Show(i)} is outside the {data.Length} elements of its data."))], single);
    }

    private (long[], bool) Unsqueeze(OnnxNode node, int depth)
    {
        // Opset 13 moved the axes from an attribute to a second input.
        node.EnsureOnlyAttributes(_opset < 13 ? ["axes"] : []);
        CheckArity(node, _opset < 13 ? 1 : 2, _opset < 13 ? 1 : 2);
        (long[] data, bool scalar) = ShapeValue(node, 0, depth);
        long[]? axes = _opset < 13 ? node.GetInts("axes")?.ToArray() : ShapeValue(node, 1, depth).Values;
        return scalar && axes is [0 or -1] ? (data, false)
            : throw new NotSupportedException($"{node.Describe()}: only Unsqueeze of a scalar to one element (axes [0]) is supported in a shape.");
    }

    private (long[], bool) Concat(OnnxNode node, int depth)
    {
        node.EnsureOnlyAttributes("axis");
        CheckArity(node, 1, int.MaxValue);
        var values = new List<long>();
        for (int i = 0; i < node.Inputs.Count && values.Count <= MaxShapeElements; i++)
        {
            (long[] part, bool scalar) = ShapeValue(node, i, depth);
            values.AddRange(!scalar && node.GetInt("axis", 0) is 0 or -1 ? part
                : throw new NotSupportedException($"{node.Describe()}: only Concat of shapes along their one axis is supported."));
        }

        return ([.. values], false);
    }
}
