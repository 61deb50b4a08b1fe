using Backprop.Simd.Layers;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// The operators of the chain: what each checks (attributes, inputs, shapes) and the layer, standardisation step or
/// folded constant it reads.
/// </summary>
internal sealed partial class OnnxChainReader
{
    private static void Unary(OnnxNode node, params ReadOnlySpan<string> attributes)
    {
        node.EnsureOnlyAttributes(attributes);
        CheckArity(node, 1, 1);
    }

    /// <summary>
    /// A layer of <paramref name="kind"/> from <paramref name="node"/>, with the values of its record's fields, each
    /// checked against the field's range.
    /// </summary>
    private void Layer(LayerKind kind, OnnxNode node, double[] values)
    {
        RequireMatrix(node);
        for (int f = 0; f < values.Length; f++)
        {
            LayerField field = kind.FileFields[f];
            if (!(values[f] >= field.Minimum && values[f] < field.Maximum))
            {
                throw new NotSupportedException($"{node.Describe()}: the {field.Name} {values[f]} is not supported; it must be in [{field.Minimum}, {field.Maximum}).");
            }
        }

        _layers.Add(new OnnxImportedLayer(kind, node, [.. values.Select(LayerRecord.Bits)]));
    }

    /// <summary>LogSoftmax as the last operator, over the last axis (Softmax's attributes): applied to the network's output, not a layer.</summary>
    private void ReadLogSoftmax(OnnxNode node)
    {
        SoftmaxKind.Instance.ReadOnnx(node, _opset);
        CheckArity(node, 1, 1);
        RequireMatrix(node);
        LogSoftmax = node;
    }

    /// <summary>Dropout is the identity at inference; in training mode (a true training_mode input) it is refused.</summary>
    private void Dropout(OnnxNode node)
    {
        node.EnsureOnlyAttributes("ratio", "seed");
        CheckArity(node, 1, 3, outputs: 2);
        if (node.Inputs.Count == 3 && node.Inputs[2].Length != 0 && GetConstantInput(node, 2).Integers is not [0])
        {
            throw new NotSupportedException(
                $"{node.Describe()}: Dropout in training mode is not supported; call model.eval() before torch.onnx.export (or export with training=TrainingMode.EVAL).");
        }
    }

    /// <summary>Gemm(data, B[, C]) with transA = 0, Y = alpha data B' + beta C, or MatMul(data, B): a dense layer, B its weights.</summary>
    private void Dense(OnnxNode node, string value)
    {
        bool gemm = node.OpType == "Gemm";
        node.EnsureOnlyAttributes(gemm ? ["alpha", "beta", "transA", "transB"] : []);
        CheckArity(node, 2, gemm ? 3 : 2);
        RequireMatrix(node);
        if (node.Inputs[0] != value)
        {
            throw new NotSupportedException(gemm
                ? $"{node.Describe()}: the data '{value}' is not input A; only Gemm(data, weights[, bias]) is supported."
                : $"{node.Describe()}: the data '{value}' is not the first input; only MatMul(data, weights) is supported.");
        }

        if (node.GetBool("transA", false))
        {
            throw new NotSupportedException($"{node.Describe()}: transA = 1 would transpose the data [batch x features]; it is not supported.");
        }

        (float alpha, float beta) = (node.GetFloat("alpha", 1f), node.GetFloat("beta", 1f));
        if (!float.IsFinite(alpha) || !float.IsFinite(beta))
        {
            throw new InvalidDataException($"{node.Describe()}: alpha {alpha} and beta {beta} must be finite.");
        }

        OnnxTensor b = GetConstantInput(node, 1);
        if (b.Dims.Length != 2 || b.Dims[0] == 0 || b.Dims[1] == 0)
        {
            string problem = $"{node.Describe()}: {b.Describe()} has dims {OnnxTensor.FormatDims(b.Dims)}; ";
            throw b.Dims.Length == 2 ? new InvalidDataException(problem + "a layer needs at least one input and one output.")
                : gemm ? new InvalidDataException(problem + "input B of Gemm must be a matrix.")
                : new NotSupportedException(problem + "only a [in x out] weight matrix is supported.");
        }

        // W as [in x out], transposed from [out x in] under transB, times alpha; both sizes are at most the element
        // count, which the file's data bounds, so they fit an int.
        bool transpose = node.GetBool("transB", false);
        (int inputs, int outputs) = transpose ? ((int)b.Dims[1], (int)b.Dims[0]) : ((int)b.Dims[0], (int)b.Dims[1]);
        double[] stored = OnnxConstants.Read(b, node, ElementType);
        double[] weights = transpose ? new double[stored.Length] : stored;
        for (int i = 0; transpose && i < inputs; i++)
        {
            for (int j = 0; j < outputs; j++)
            {
                weights[(i * outputs) + j] = stored[(j * inputs) + i];
            }
        }

        double[] bias = node.Inputs.Count == 3 && node.Inputs[2].Length != 0
            ? OnnxConstants.Row(GetConstantInput(node, 2), node, ElementType, [outputs])
            : new double[outputs];
        Multiply(node, weights, alpha, "alpha");
        Multiply(node, bias, beta, "beta");
        if (Features is int features && features != inputs)
        {
            throw new InvalidDataException($"{node.Describe()}: the weights take {inputs} features but the data reaching it has {features}.");
        }

        if (!_layers.Exists(l => l.Kind == LayerKind.Dense))
        {
            InputFeatures = inputs;
            InputFeaturesFromWeights = true;
        }

        _layers.Add(new OnnxImportedLayer(LayerKind.Dense, node, [(ulong)outputs]) { Inputs = inputs, Outputs = outputs, Weights = weights, Bias = bias });
        _featureDims = [outputs];
    }

    /// <summary>Adds a constant to the bias of the dense layer just before: the Add of MatMul + Add, or a Gemm's extra bias.</summary>
    private void Add(OnnxNode node, string value)
    {
        node.EnsureOnlyAttributes();
        CheckArity(node, 2, 2);
        OnnxImportedLayer dense = LastDense(node, "Add is supported only right after a MatMul or Gemm, where it adds the bias");
        double[] row = OnnxConstants.Row(GetConstantInput(node, node.Inputs[0] == value ? 1 : 0), node, ElementType, [dense.Outputs]);
        for (int j = 0; j < row.Length; j++)
        {
            dense.Bias[j] += row[j];
        }
    }

    /// <summary>
    /// BatchNormalization at inference, y = scale (x - mean) / sqrt(var + epsilon) + B, folded in double into the dense
    /// layer just before: W' = W s and b' = (b - mean) s + B, with s = scale / sqrt(var + epsilon) per output.
    /// </summary>
    private void BatchNormalization(OnnxNode node, string value)
    {
        node.EnsureOnlyAttributes("epsilon", "momentum", "training_mode", "spatial");
        if (node.GetInt("training_mode", 0) != 0 || node.Outputs.Skip(1).Any(o => o.Length != 0))
        {
            throw new NotSupportedException(
                $"{node.Describe()}: BatchNormalization in training mode is not supported; call model.eval() before torch.onnx.export (or export with training=TrainingMode.EVAL).");
        }

        CheckArity(node, 5, 5, outputs: 5);
        OnnxImportedLayer dense = LastDense(node, "BatchNormalization is supported only right after a Gemm or MatMul (+ Add), whose weights and bias it is folded into");
        if (node.Inputs[0] != value)
        {
            throw new NotSupportedException($"{node.Describe()}: the data '{value}' is not input X; only BatchNormalization(data, scale, B, mean, var) is supported.");
        }

        double epsilon = node.GetFloat("epsilon", 1e-5f);
        int n = dense.Outputs;
        double[][] p = [.. Enumerable.Range(1, 4).Select(i => OnnxConstants.Row(GetConstantInput(node, i), node, ElementType, [n]))];
        var factors = new double[n];
        for (int j = 0; j < n; j++)
        {
            factors[j] = p[0][j] / Math.Sqrt(p[3][j] + epsilon);
            if (!(p[3][j] + epsilon > 0) || !double.IsFinite(factors[j]))
            {
                throw new InvalidDataException($"{node.Describe()}: output {j} has variance {p[3][j]} and scale {p[0][j]}, which with epsilon {epsilon} give no finite factor.");
            }

            dense.Bias[j] = ((dense.Bias[j] - p[2][j]) * factors[j]) + p[1][j];
        }

        for (int i = 0; i < dense.Weights.Length; i++)
        {
            dense.Weights[i] *= factors[i % n];
        }

        if (dense.Weights.Concat(dense.Bias).Any(v => !double.IsFinite(v)))
        {
            throw new InvalidDataException($"{node.Describe()}: folding it into the weights of {dense.Node.Describe()} overflows.");
        }
    }

    /// <summary>The dense layer the data comes straight from, which <paramref name="node"/> folds into, or <see cref="NotSupportedException"/> saying where the node is supported.</summary>
    private OnnxImportedLayer LastDense(OnnxNode node, string where)
    {
        RequireMatrix(node);
        return _layers.Count != 0 && _layers[^1].Kind == LayerKind.Dense ? _layers[^1] : throw new NotSupportedException($"{node.Describe()}: {where}.");
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

        var step = new Step(node, GetConstantInput(node, 1 - position), _featureDims);
        if (sub)
        {
            Mean = step;
        }
        else
        {
            Scale = step;
        }
    }

    /// <summary>Multiplies by Gemm's alpha or beta (1, the default, leaves the values bit for bit as stored).</summary>
    private static void Multiply(OnnxNode node, double[] values, float factor, string name)
    {
        for (int i = 0; factor != 1f && i < values.Length; i++)
        {
            values[i] *= factor;
            if (!double.IsFinite(values[i]))
            {
                throw new InvalidDataException($"{node.Describe()}: {name} {factor} times value {i} overflows.");
            }
        }
    }
}
