using System.Text;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Seeded random edits of a model's meaning, not its bytes: operators, names, attributes, dims, data types, shapes and
/// opsets changed, nodes and initializers removed. They reach the importer's checks, where byte mutations mostly stop
/// in the protobuf reader. The model is edited as a <see cref="ProtoTree"/>, so any model (torch's included) can be.
/// </summary>
internal static class OnnxModelMutator
{
    private static readonly string[] s_ops =
        ["Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Max", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Softmax", "LogSoftmax", "Flatten",
         "Identity", "Constant", "Conv", "Dropout", "Transpose", "Reshape", "Shape", "Gather", "Unsqueeze", "Concat", "BatchNormalization", "Erf", "Gelu"];

    private static readonly string[] s_attributes = ["axis", "alpha", "beta", "transA", "transB", "value", "allowzero", "epsilon", "training_mode", "foo"];
    private static readonly long[] s_ints = [-2, -1, 0, 1, 2, 5, long.MaxValue];
    private static readonly float[] s_floats = [float.NaN, float.PositiveInfinity, -1, 0, 0.5f, 1, 2, 1e38f];
    private static readonly long[] s_dims = [0, 1, 2, 3, 4, 6, -1, 1L << 20, 1L << 40];
    private static readonly long[] s_types = [1, 11, 3, 7, 9, 0, 99];
    private static readonly long[] s_opsets = [-1, 0, 6, 7, 11, 13, 17, 23, 24];

    /// <summary>Applies one to three random edits to <paramref name="valid"/> and encodes the result.</summary>
    public static byte[] Mutate(byte[] valid, Random random, out string description)
    {
        ProtoTree model = ProtoTree.Decode(valid);
        var steps = new List<string>();
        for (int n = 1 + random.Next(3); n > 0; n--)
        {
            steps.Add(Edit(model, random));
        }

        description = string.Join("; ", steps);
        return model.Encode();
    }

    private static string Edit(ProtoTree model, Random random)
    {
        // GraphProto: node (1), initializer (5), input (11), output (12). NodeProto: input (1), output (2), name (3),
        // op_type (4), attribute (5), domain (7). TensorProto: dims (1), data_type (2), name (8).
        ProtoTree graph = model.Child(7)!;
        ProtoTree[] nodes = [.. graph.Children(1)];
        ProtoTree[] tensors = [.. graph.Children(5)];
        ProtoTree? node = nodes.Length == 0 ? null : nodes[random.Next(nodes.Length)];
        ProtoTree? tensor = tensors.Length == 0 ? null : tensors[random.Next(tensors.Length)];
        string[] names = [.. nodes.SelectMany(n => n.Strings(2)), .. tensors.Select(t => t.String(8) ?? ""), "x", "", "missing", graph.Child(11)!.String(1)!];
        string nodeName = node?.String(3) ?? "";
        switch (random.Next(12))
        {
            case 0 when node is not null:
                node.Set(4, Pick(random, s_ops));
                return $"{nodeName} becomes {node.String(4)}";
            case 1 when node is not null && node.Strings(1).Any():
                string[] inputs = [.. node.Strings(1)];
                int input = random.Next(inputs.Length);
                inputs[input] = Pick(random, names);
                node.Fields.RemoveAll(f => f.Number == 1);
                node.Fields.InsertRange(0, inputs.Select(i => new ProtoTree.Field(1, ProtoWireType.LengthDelimited) { Bytes = Encoding.UTF8.GetBytes(i) }));
                return $"{nodeName} input {input} becomes '{inputs[input]}'";
            case 2 when node is not null:
                node.Set(2, Pick(random, names));
                return $"{nodeName} output becomes '{node.String(2)}'";
            case 3 when node is not null:
                graph.Fields.RemoveAll(f => f.Child == node);
                return $"remove {nodeName}";
            case 4 when node is not null:
                string name = Pick(random, s_attributes);
                node.Fields.RemoveAll(f => f.Number == 5 && f.Child!.String(1) == name);
                var attribute = new ProtoTree("AttributeProto");
                attribute.Add(1, name);
                bool isInt = random.Next(2) == 0;
                attribute.Fields.Add(isInt
                    ? new ProtoTree.Field(3, ProtoWireType.Varint) { Value = Pick(random, s_ints) }
                    : new ProtoTree.Field(2, ProtoWireType.Fixed32) { Value = BitConverter.SingleToInt32Bits(Pick(random, s_floats)) });
                attribute.Add(20, isInt ? 2L : 1L);
                node.Add(5, attribute);
                return $"{nodeName} attribute {name} {(isInt ? "int" : "float")} {attribute.Fields[1].Value}";
            case 5 when tensor is not null:
                long[] dims = [.. Enumerable.Range(0, random.Next(4)).Select(_ => Pick(random, s_dims))];
                tensor.Fields.RemoveAll(f => f.Number == 1);
                tensor.Fields.InsertRange(0, dims.Select(d => new ProtoTree.Field(1, ProtoWireType.Varint) { Value = d }));
                return $"{tensor.String(8)} dims [{string.Join(", ", dims)}]";
            case 6 when tensor is not null:
                tensor.Set(2, Pick(random, s_types));
                return $"{tensor.String(8)} type {tensor.Int(2)}";
            case 7 when tensor is not null:
                graph.Fields.RemoveAll(f => f.Child == tensor);
                return $"remove {tensor.String(8)}";
            case 8:
                ProtoTree value = graph.Child(random.Next(2) == 0 ? 11 : 12)!;
                value.Fields.RemoveAll(f => f.Number == 2);
                if (random.Next(4) != 0)
                {
                    value.Add(2, Type(random));
                }

                return $"{value.String(1)} type changed";
            case 9:
                model.Child(8)!.Set(2, Pick(random, s_opsets));
                return $"opset {model.Child(8)!.Int(2)}";
            case 10 when node is not null:
                node.Set(7, Pick(random, (string[])["", "ai.onnx", "com.microsoft"]));
                return $"{nodeName} domain '{node.String(7)}'";
            default:
                ProtoTree output = graph.Child(12)!;
                output.Set(1, Pick(random, names));
                return $"output named '{output.String(1)}'";
        }
    }

    /// <summary>A TypeProto { tensor_type { elem_type, shape { dim ... } } } of a random element type and shape.</summary>
    private static ProtoTree Type(Random random)
    {
        var tensorType = new ProtoTree("TypeProto.Tensor");
        tensorType.Add(1, Pick(random, s_types));
        if (random.Next(4) != 0)
        {
            var shape = new ProtoTree("TensorShapeProto");
            for (int i = random.Next(5); i > 0; i--)
            {
                var dim = new ProtoTree("Dimension");
                switch (random.Next(3))
                {
                    case 0:
                        dim.Add(2, "N");
                        break;
                    case 1:
                        break;
                    default:
                        dim.Add(1, Pick(random, s_dims));
                        break;
                }

                shape.Add(1, dim);
            }

            tensorType.Add(2, shape);
        }

        var type = new ProtoTree("TypeProto");
        type.Add(1, tensorType);
        return type;
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
