namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// The operators of the chain: what each checks (attributes, inputs, shapes) and the layer, standardisation step or
/// change of shape it reads.
/// </summary>
internal sealed partial class OnnxChainReader
{
    private static void Unary(OnnxNode node, params ReadOnlySpan<string> attributes)
    {
        node.EnsureOnlyAttributes(attributes);
        CheckArity(node, 1, 1);
    }

    private void Flatten(OnnxNode node)
    {
        Unary(node, "axis");
        long axis = node.GetInt("axis", 1);
        if (axis < 0 && _rank is int rank)
        {
            axis += rank;
        }

        if (axis != 1)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: axis {node.GetInt("axis", 1)} is not supported; only Flatten to [batch x features] (axis 1) is.");
        }

        _rank = 2;
        _featureDims = Features is int features ? [features] : null;
    }

    private void Activation(OnnxNode node, OnnxLayerKind kind)
    {
        Unary(node);
        RequireMatrix(node);
        _layers.Add(OnnxImportedLayer.Activation(kind, node));
    }

    private void LeakyRelu(OnnxNode node)
    {
        Unary(node, "alpha");
        RequireMatrix(node);
        float alpha = node.GetFloat("alpha", 0.01f);
        if (!(alpha >= 0 && alpha < 1))
        {
            throw new NotSupportedException($"{node.Describe()}: alpha {alpha} is not supported; the slope must be in [0, 1).");
        }

        _layers.Add(OnnxImportedLayer.Activation(OnnxLayerKind.LeakyRelu, node, alpha));
    }

    private void Softmax(OnnxNode node)
    {
        Unary(node, "axis");
        RequireMatrix(node);
        // Opset 13 made the default axis -1; before, 1 (with the input coerced to 2-D). On [batch x n] both mean the last axis.
        long axis = node.GetInt("axis", _opset >= 13 ? -1 : 1);
        if (axis is not (1 or -1))
        {
            throw new NotSupportedException(
                $"{node.Describe()}: axis {axis} is not supported; only a softmax over the last axis (1 or -1) of [batch x features] is.");
        }

        _layers.Add(OnnxImportedLayer.Activation(OnnxLayerKind.Softmax, node));
    }

    private void Gemm(OnnxNode node, string value)
    {
        // Y = alpha A' B' + beta C, with A = the running value x and B = the weights.
        node.EnsureOnlyAttributes("alpha", "beta", "transA", "transB");
        CheckArity(node, 2, 3);
        RequireMatrix(node);
        if (node.Inputs[0] != value)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: the data '{value}' is not input A; only Gemm(data, weights[, bias]) is supported.");
        }

        if (node.GetBool("transA", false))
        {
            throw new NotSupportedException($"{node.Describe()}: transA = 1 would transpose the data [batch x features]; it is not supported.");
        }

        float alpha = node.GetFloat("alpha", 1f);
        float beta = node.GetFloat("beta", 1f);
        if (!float.IsFinite(alpha) || !float.IsFinite(beta))
        {
            throw new InvalidDataException($"{node.Describe()}: alpha {alpha} and beta {beta} must be finite.");
        }

        OnnxTensor b = _index.GetConstantInput(node, 1);
        if (b.Dims.Length != 2)
        {
            throw new InvalidDataException($"{node.Describe()}: input B, {b.Describe()}, has dims {OnnxTensor.FormatDims(b.Dims)}; Gemm needs a matrix.");
        }

        bool transB = node.GetBool("transB", false);
        double[] weights = Weights(node, b, transB, alpha, out int inputs, out int outputs);
        var bias = new double[outputs];
        if (node.Inputs.Count == 3 && node.Inputs[2].Length != 0)
        {
            bias = OnnxConstants.Row(_index.GetConstantInput(node, 2), node, ElementType, [outputs]);
            Multiply(node, bias, beta, "beta");
        }

        AddDense(node, inputs, outputs, weights, bias);
    }

    private void MatMul(OnnxNode node, string value)
    {
        node.EnsureOnlyAttributes();
        CheckArity(node, 2, 2);
        RequireMatrix(node);
        if (node.Inputs[0] != value)
        {
            throw new NotSupportedException($"{node.Describe()}: the data '{value}' is not the first input; only MatMul(data, weights) is supported.");
        }

        OnnxTensor b = _index.GetConstantInput(node, 1);
        if (b.Dims.Length != 2)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: {b.Describe()} has dims {OnnxTensor.FormatDims(b.Dims)}; only a [in x out] weight matrix is supported.");
        }

        double[] weights = Weights(node, b, transpose: false, alpha: 1f, out int inputs, out int outputs);
        AddDense(node, inputs, outputs, weights, new double[outputs]);
    }

    /// <summary>Adds a constant to the bias of the dense layer just before: the Add of MatMul + Add, or a Gemm's extra bias.</summary>
    private void Add(OnnxNode node, string value)
    {
        node.EnsureOnlyAttributes();
        CheckArity(node, 2, 2);
        RequireMatrix(node);
        if (_layers.Count == 0 || _layers[^1].Kind != OnnxLayerKind.Dense)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: Add is supported only right after a MatMul or Gemm, where it adds the bias.");
        }

        OnnxImportedLayer dense = _layers[^1];
        double[] row = OnnxConstants.Row(_index.GetConstantInput(node, node.Inputs[0] == value ? 1 : 0), node, ElementType, [dense.Outputs]);
        for (int j = 0; j < row.Length; j++)
        {
            dense.Bias[j] += row[j];
        }
    }

    /// <summary>
    /// Sub, then Div or Mul, by constants, before the first layer: the input standardisation. It may come before a
    /// Flatten, element by element on [batch x 2 x 3] data, for example, when the input shape fixes those dimensions.
    /// </summary>
    private void Standardize(OnnxNode node, string value)
    {
        node.EnsureOnlyAttributes();
        CheckArity(node, 2, 2);
        if (_rank is > 2 && _featureDims is null)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: its data has rank {_rank} with dimensions the input shape does not fix; only [batch x features] data or fixed dimensions are supported.");
        }

        bool sub = node.OpType == "Sub";
        if (_layers.Count != 0 || Scale is not null || (sub && Mean is not null))
        {
            throw new NotSupportedException(
                $"{node.Describe()}: {node.OpType} is supported only at the input, before any layer, as a standardisation: Sub, then Div or Mul, by constants.");
        }

        int position = node.Inputs[0] == value ? 0 : 1;
        if (position != 0 && node.OpType != "Mul")
        {
            throw new NotSupportedException($"{node.Describe()}: the data '{value}' is the second operand; only data {(sub ? "-" : "/")} constant is supported.");
        }

        var step = new OnnxStandardizationStep(node, _index.GetConstantInput(node, 1 - position), _featureDims);
        if (sub)
        {
            Mean = step;
        }
        else
        {
            Scale = step;
        }
    }

    /// <summary>The weights of B as [in x out], transposed from [out x in] when <paramref name="transpose"/>, times alpha.</summary>
    private double[] Weights(OnnxNode node, OnnxTensor b, bool transpose, float alpha, out int inputs, out int outputs)
    {
        long rows = b.Dims[0];
        long columns = b.Dims[1];
        if (rows == 0 || columns == 0)
        {
            throw new InvalidDataException($"{node.Describe()}: {b.Describe()} has dims {OnnxTensor.FormatDims(b.Dims)}; a layer needs at least one input and one output.");
        }

        // Both are at most the element count, which the file's data bounds, so they fit an int.
        double[] values = OnnxConstants.Read(b, node, ElementType);
        (inputs, outputs) = transpose ? ((int)columns, (int)rows) : ((int)rows, (int)columns);
        if (transpose)
        {
            var transposed = new double[values.Length];
            for (int i = 0; i < inputs; i++)
            {
                for (int j = 0; j < outputs; j++)
                {
                    transposed[(i * outputs) + j] = values[(j * inputs) + i];
                }
            }

            values = transposed;
        }

        Multiply(node, values, alpha, "alpha");
        return values;
    }

    private void AddDense(OnnxNode node, int inputs, int outputs, double[] weights, double[] bias)
    {
        if (Features is int features && features != inputs)
        {
            throw new InvalidDataException($"{node.Describe()}: the weights take {inputs} features but the data reaching it has {features}.");
        }

        if (!_layers.Exists(l => l.Kind == OnnxLayerKind.Dense))
        {
            InputFeatures = inputs;
            InputFeaturesFromWeights = true;
        }

        _layers.Add(OnnxImportedLayer.Dense(node, inputs, outputs, weights, bias));
        _featureDims = [outputs];
    }

    /// <summary>Multiplies by Gemm's alpha or beta (1, the default, leaves the values bit for bit as stored).</summary>
    private static void Multiply(OnnxNode node, double[] values, float factor, string name)
    {
        if (factor == 1f)
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
            if (!double.IsFinite(values[i]))
            {
                throw new InvalidDataException($"{node.Describe()}: {name} {factor} times value {i} overflows.");
            }
        }
    }
}
