namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// ONNX's <c>GraphProto</c>: nodes in topological order (field 1), a name (2), initializers holding the weights (5),
/// documentation (10), and the inputs (11), outputs (12) and intermediate values (13) with their types. Sparse
/// initializers and quantization annotations are skipped when read. Lookups by value name are in
/// <see cref="OnnxGraphIndex"/>.
/// </summary>
internal sealed class OnnxGraph
{
    internal static readonly ProtoMessageInfo Info = new(
        "GraphProto",
        (1, "node"), (2, "name"), (5, "initializer"), (10, "doc_string"), (11, "input"), (12, "output"), (13, "value_info"),
        (14, "quantization_annotation"), (15, "sparse_initializer"));

    /// <summary>The nodes, in topological order (field 1).</summary>
    public List<OnnxNode> Nodes { get; } = [];

    /// <summary>The graph name (field 2).</summary>
    public string Name { get; set; } = "";

    /// <summary>The constant tensors, weights and biases (field 5).</summary>
    public List<OnnxTensor> Initializers { get; } = [];

    /// <summary>Documentation (field 10).</summary>
    public string DocString { get; set; } = "";

    /// <summary>The graph inputs (field 11); models of IR version 3 and older list the initializers here too.</summary>
    public List<OnnxValueInfo> Inputs { get; } = [];

    /// <summary>The graph outputs (field 12).</summary>
    public List<OnnxValueInfo> Outputs { get; } = [];

    /// <summary>Types of intermediate values (field 13), optional.</summary>
    public List<OnnxValueInfo> ValueInfo { get; } = [];

    /// <summary>"graph 'main_graph'", or "unnamed graph": how error messages name this graph.</summary>
    public string Describe() => Name.Length != 0 ? $"graph '{Name}'" : "unnamed graph";

    internal static OnnxGraph Read(ref ProtoReader reader)
    {
        var graph = new OnnxGraph();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1:
                    ProtoReader node = reader.ReadMessage(OnnxNode.Info);
                    graph.Nodes.Add(OnnxNode.Read(ref node));
                    break;
                case 2:
                    graph.Name = reader.ReadString();
                    break;
                case 5:
                    ProtoReader initializer = reader.ReadMessage(OnnxTensor.Info);
                    graph.Initializers.Add(OnnxTensor.Read(ref initializer));
                    break;
                case 10:
                    graph.DocString = reader.ReadString();
                    break;
                case 11:
                    graph.Inputs.Add(ReadValueInfo(ref reader));
                    break;
                case 12:
                    graph.Outputs.Add(ReadValueInfo(ref reader));
                    break;
                case 13:
                    graph.ValueInfo.Add(ReadValueInfo(ref reader));
                    break;
                default:
                    reader.SkipField();
                    break;
            }
        }

        return graph;
    }

    internal void Write(ProtoWriter writer)
    {
        foreach (OnnxNode node in Nodes)
        {
            int mark = writer.BeginMessage(1);
            node.Write(writer);
            writer.EndMessage(mark);
        }

        if (Name.Length != 0)
        {
            writer.WriteString(2, Name);
        }

        foreach (OnnxTensor initializer in Initializers)
        {
            int mark = writer.BeginMessage(5);
            initializer.Write(writer);
            writer.EndMessage(mark);
        }

        if (DocString.Length != 0)
        {
            writer.WriteString(10, DocString);
        }

        WriteValueInfos(writer, 11, Inputs);
        WriteValueInfos(writer, 12, Outputs);
        WriteValueInfos(writer, 13, ValueInfo);
    }

    private static OnnxValueInfo ReadValueInfo(ref ProtoReader reader)
    {
        ProtoReader info = reader.ReadMessage(OnnxValueInfo.Info);
        return OnnxValueInfo.Read(ref info);
    }

    private static void WriteValueInfos(ProtoWriter writer, int fieldNumber, List<OnnxValueInfo> values)
    {
        foreach (OnnxValueInfo value in values)
        {
            int mark = writer.BeginMessage(fieldNumber);
            value.Write(writer);
            writer.EndMessage(mark);
        }
    }
}
