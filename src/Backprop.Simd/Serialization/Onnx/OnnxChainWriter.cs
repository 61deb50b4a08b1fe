using System.Buffers.Binary;
using System.Numerics;
using Backprop.Simd.Layers;
using NodeAttribute = (string Name, float? F, long? I);

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Writes the ONNX model of a chain: constants as initializers in raw_data, nodes each taking the data the one before
/// gave (<see cref="Current"/>), and values [batch x features] whose batch dimension is the symbolic "batch". Node
/// "name" gives the value "name_output"; the last node's output takes the graph output's name. Layer kinds write
/// their nodes through it (<see cref="LayerKind.WriteOnnx"/>).
/// </summary>
internal sealed class OnnxChainWriter(int elementType, string input, int opset) : IOnnxChainWriter
{
    private readonly ProtoWriter _initializers = new(4096);
    private readonly List<(string OpType, string Name, string[] Inputs, NodeAttribute? Attribute)> _nodes = [];
    private readonly HashSet<string> _constants = new(StringComparer.Ordinal);
    private readonly string _input = input;

    /// <inheritdoc/>
    public int Opset => opset;

    /// <summary>The data the chain has reached: the output of the last node, or the graph input.</summary>
    public string Current { get; private set; } = input;

    /// <summary>Adds an initializer holding <paramref name="values"/> (row-major, of the chain's element type) and returns its name.</summary>
    public string Constant<T>(string name, long[] dims, ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = elementType == OnnxTensor.Float ? sizeof(float) : sizeof(double);
        var raw = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            if (size == sizeof(float))
            {
                BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * size), float.CreateTruncating(values[i]));
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(i * size), double.CreateTruncating(values[i]));
            }
        }

        // TensorProto: dims (1, unpacked as proto2 writes them), data_type (2), name (8), raw_data (9).
        _initializers.WriteMessage(5, tensor =>
        {
            foreach (long dim in dims)
            {
                tensor.WriteInt64(1, dim);
            }

            tensor.WriteInt64(2, elementType);
            tensor.WriteString(8, name);
            tensor.WriteBytes(9, raw);
        });
        _constants.Add(name);
        return name;
    }

    /// <summary>Adds node <paramref name="name"/> computing <paramref name="opType"/>(<paramref name="inputs"/>), with at most one float or int attribute; its output becomes <see cref="Current"/>.</summary>
    public void Node(string opType, string name, string[] inputs, NodeAttribute? attribute = null)
    {
        _nodes.Add((opType, name, inputs, attribute));
        Current = name + "_output";
    }

    /// <summary>Whether <paramref name="name"/> names a value inside the graph: a constant, or a node's output but the last one's.</summary>
    public bool UsesInside(string name) => _constants.Contains(name) || _nodes.SkipLast(1).Any(n => n.Name + "_output" == name);

    /// <summary>
    /// The encoded model: the nodes written (a graph without any gets one Identity) with the last one's output named
    /// <paramref name="output"/>, in a graph from the input [batch x <paramref name="inputs"/>] to [batch x <paramref name="outputs"/>].
    /// </summary>
    public byte[] Finish(string output, int inputs, int outputs, string producerName, string producerVersion, string docString)
    {
        if (_nodes.Count == 0)
        {
            Node("Identity", "identity", [Current]);
        }

        // ModelProto: ir_version (1), producer_name (2), producer_version (3), doc_string (6), graph (7), opset_import (8).
        var model = new ProtoWriter(_initializers.Length + 4096);
        model.WriteInt64(1, OnnxOpsets.IrVersion(opset));
        model.WriteString(2, producerName);
        model.WriteString(3, producerVersion);
        if (docString.Length != 0)
        {
            model.WriteString(6, docString);
        }

        model.WriteMessage(7, graph =>
        {
            // GraphProto: node (1), name (2), initializer (5), input (11), output (12).
            for (int i = 0; i < _nodes.Count; i++)
            {
                graph.WriteMessage(1, node => WriteNode(node, _nodes[i], i == _nodes.Count - 1 ? output : _nodes[i].Name + "_output"));
            }

            graph.WriteString(2, "network");
            graph.WriteRaw(_initializers.WrittenSpan);
            graph.WriteMessage(11, value => WriteValue(value, _input, inputs));
            graph.WriteMessage(12, value => WriteValue(value, output, outputs));
        });

        // OperatorSetIdProto: domain (1, "" for the default domain, written as onnx.helper does), version (2).
        model.WriteMessage(8, set =>
        {
            set.WriteString(1, "");
            set.WriteInt64(2, opset);
        });
        return model.ToArray();
    }

    /// <summary>NodeProto: input (1), output (2), name (3), op_type (4), attribute (5) { name (1), f (2) or i (3), type (20) }.</summary>
    private static void WriteNode(ProtoWriter writer, (string OpType, string Name, string[] Inputs, NodeAttribute? Attribute) node, string output)
    {
        foreach (string input in node.Inputs)
        {
            writer.WriteString(1, input);
        }

        writer.WriteString(2, output);
        writer.WriteString(3, node.Name);
        writer.WriteString(4, node.OpType);
        if (node.Attribute is NodeAttribute attribute)
        {
            writer.WriteMessage(5, a =>
            {
                a.WriteString(1, attribute.Name);
                if (attribute.F is float f)
                {
                    a.WriteFloat(2, f);
                }
                else
                {
                    a.WriteInt64(3, attribute.I ?? 0);
                }

                a.WriteInt64(20, attribute.F is null ? OnnxAttribute.IntType : OnnxAttribute.FloatType);
            });
        }
    }

    /// <summary>ValueInfoProto { name, type { tensor_type { elem_type, shape { dim { dim_param "batch" }, dim { dim_value width } } } } }.</summary>
    private void WriteValue(ProtoWriter writer, string name, int width)
    {
        writer.WriteString(1, name);
        writer.WriteMessage(2, type => type.WriteMessage(1, tensor =>
        {
            tensor.WriteInt64(1, elementType);
            tensor.WriteMessage(2, shape =>
            {
                shape.WriteMessage(1, batch => batch.WriteString(2, "batch"));
                shape.WriteMessage(1, features => features.WriteInt64(1, width));
            });
        }));
    }
}
