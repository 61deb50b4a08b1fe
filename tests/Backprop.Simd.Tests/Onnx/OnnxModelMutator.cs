using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Seeded random edits of a decoded model's meaning, not its bytes: operators, names, attributes, dims, data types,
/// shapes and opsets changed, nodes removed or duplicated. They reach the importer's checks, where byte mutations
/// mostly stop in the protobuf decoder.
/// </summary>
internal static class OnnxModelMutator
{
    private static readonly string[] s_ops = ["Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Softmax", "Flatten", "Identity", "Constant", "Conv", "Dropout", "Transpose"];
    private static readonly string[] s_attributes = ["axis", "alpha", "beta", "transA", "transB", "value", "foo"];
    private static readonly long[] s_ints = [-2, -1, 0, 1, 2, 5, long.MaxValue];
    private static readonly float[] s_floats = [float.NaN, float.PositiveInfinity, -1, 0, 0.5f, 1, 2, 1e38f];
    private static readonly long[] s_dims = [0, 1, 2, 3, 4, 6, -1, 1L << 20, 1L << 40];
    private static readonly OnnxDataType[] s_types = [OnnxDataType.Float, OnnxDataType.Double, OnnxDataType.Int8, OnnxDataType.Int64, OnnxDataType.Undefined, (OnnxDataType)99];
    private static readonly long[] s_opsets = [-1, 0, 6, 7, 11, 13, 17, 23, 24];

    /// <summary>Applies one to three random edits to a fresh decoding of <paramref name="valid"/> and encodes the result.</summary>
    public static byte[] Mutate(byte[] valid, Random random, out string description)
    {
        OnnxModel model = OnnxModel.Decode(valid);
        OnnxGraph graph = model.RequireGraph();
        var steps = new List<string>();
        for (int n = 1 + random.Next(3); n > 0; n--)
        {
            steps.Add(Edit(model, graph, random));
        }

        description = string.Join("; ", steps);
        return model.Encode();
    }

    private static string Edit(OnnxModel model, OnnxGraph graph, Random random)
    {
        OnnxNode? node = graph.Nodes.Count == 0 ? null : graph.Nodes[random.Next(graph.Nodes.Count)];
        OnnxTensor? tensor = graph.Initializers.Count == 0 ? null : graph.Initializers[random.Next(graph.Initializers.Count)];
        string[] names = [.. graph.Nodes.SelectMany(x => x.Outputs), .. graph.Initializers.Select(t => t.Name), "x", "", "missing", graph.Inputs[0].Name];
        switch (random.Next(12))
        {
            case 0 when node is not null:
                node.OpType = Pick(random, s_ops);
                return $"{node.Name} becomes {node.OpType}";
            case 1 when node is not null && node.Inputs.Count > 0:
                int input = random.Next(node.Inputs.Count);
                node.Inputs[input] = Pick(random, names);
                return $"{node.Name} input {input} becomes '{node.Inputs[input]}'";
            case 2 when node is not null:
                node.Outputs[0] = Pick(random, names);
                return $"{node.Name} output becomes '{node.Outputs[0]}'";
            case 3 when node is not null:
                graph.Nodes.Remove(node);
                return $"remove {node.Name}";
            case 4 when node is not null:
                string name = Pick(random, s_attributes);
                node.Attributes.RemoveAll(a => a.Name == name);
                node.Attributes.Add(random.Next(2) == 0 ? OnnxAttribute.FromInt(name, Pick(random, s_ints)) : OnnxAttribute.FromFloat(name, Pick(random, s_floats)));
                return $"{node.Name} attribute {name} = {node.Attributes[^1].I?.ToString() ?? node.Attributes[^1].F.ToString()}";
            case 5 when tensor is not null:
                tensor.Dims = [.. Enumerable.Range(0, random.Next(4)).Select(_ => Pick(random, s_dims))];
                return $"{tensor.Name} dims [{string.Join(", ", tensor.Dims)}]";
            case 6 when tensor is not null:
                tensor.DataType = Pick(random, s_types);
                return $"{tensor.Name} type {tensor.DataType}";
            case 7 when tensor is not null:
                graph.Initializers.Remove(tensor);
                return $"remove {tensor.Name}";
            case 8:
                OnnxValueInfo value = random.Next(2) == 0 ? graph.Inputs[0] : graph.Outputs[0];
                value.Type = random.Next(4) == 0 ? null : new OnnxType
                {
                    TensorType = new OnnxTensorType
                    {
                        ElementType = Pick(random, s_types),
                        Shape = random.Next(4) == 0 ? null : Shape(random),
                    },
                };
                return $"{value.Name} type changed";
            case 9:
                model.OpsetImports[0].Version = Pick(random, s_opsets);
                return $"opset {model.OpsetImports[0].Version}";
            case 10 when node is not null:
                node.Domain = Pick(random, (string[])["", "ai.onnx", "com.microsoft"]);
                return $"{node.Name} domain '{node.Domain}'";
            default:
                graph.Outputs[0].Name = Pick(random, names);
                return $"output named '{graph.Outputs[0].Name}'";
        }
    }

    private static OnnxShape Shape(Random random)
    {
        var shape = new OnnxShape();
        for (int i = random.Next(5); i > 0; i--)
        {
            shape.Dims.Add(random.Next(3) switch
            {
                0 => OnnxDimension.Symbolic("N"),
                1 => OnnxDimension.Unknown(),
                _ => OnnxDimension.Fixed(Pick(random, s_dims)),
            });
        }

        return shape;
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
