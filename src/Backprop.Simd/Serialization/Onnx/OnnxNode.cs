namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// ONNX's <c>NodeProto</c>: one operator call, e.g. Gemm(X, W, B) -> Y. Inputs and outputs are value names; an empty
/// input name means an omitted optional input. Checked attribute access is in OnnxNode.Attributes.cs.
/// </summary>
internal sealed partial class OnnxNode
{
    internal static readonly ProtoMessageInfo Info = new(
        "NodeProto", (1, "input"), (2, "output"), (3, "name"), (4, "op_type"), (5, "attribute"), (6, "doc_string"), (7, "domain"));

    /// <summary>The input value names (field 1).</summary>
    public List<string> Inputs { get; } = [];

    /// <summary>The output value names (field 2).</summary>
    public List<string> Outputs { get; } = [];

    /// <summary>The node name (field 3), optional.</summary>
    public string Name { get; set; } = "";

    /// <summary>The operator, e.g. "Gemm" (field 4).</summary>
    public string OpType { get; set; } = "";

    /// <summary>The attributes (field 5).</summary>
    public List<OnnxAttribute> Attributes { get; } = [];

    /// <summary>Documentation (field 6).</summary>
    public string DocString { get; set; } = "";

    /// <summary>The operator set domain (field 7); "" (or "ai.onnx") is the default ONNX domain.</summary>
    public string Domain { get; set; } = "";

    /// <summary>A node of operator <paramref name="opType"/> with the given inputs, outputs and attributes.</summary>
    public static OnnxNode Create(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, params ReadOnlySpan<OnnxAttribute> attributes)
    {
        ArgumentNullException.ThrowIfNull(opType);
        ArgumentNullException.ThrowIfNull(name);
        var node = new OnnxNode { OpType = opType, Name = name };
        node.Inputs.AddRange(inputs);
        node.Outputs.AddRange(outputs);
        node.Attributes.AddRange(attributes);
        return node;
    }

    /// <summary>"node '/0/Gemm' (Gemm)", or "Gemm node producing 'y'" when unnamed: how error messages name this node.</summary>
    public string Describe()
    {
        string op = Domain.Length == 0 || Domain == OnnxModel.DefaultDomainAlias ? OpType : $"{Domain}.{OpType}";
        if (Name.Length != 0)
        {
            return $"node '{Name}' ({op})";
        }

        return Outputs.Count != 0 ? $"{op} node producing '{Outputs[0]}'" : $"{op} node";
    }

    internal static OnnxNode Read(ref ProtoReader reader)
    {
        var node = new OnnxNode();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1:
                    node.Inputs.Add(reader.ReadString());
                    break;
                case 2:
                    node.Outputs.Add(reader.ReadString());
                    break;
                case 3:
                    node.Name = reader.ReadString();
                    break;
                case 4:
                    node.OpType = reader.ReadString();
                    break;
                case 5:
                    ProtoReader attribute = reader.ReadMessage(OnnxAttribute.Info);
                    node.Attributes.Add(OnnxAttribute.Read(ref attribute));
                    break;
                case 6:
                    node.DocString = reader.ReadString();
                    break;
                case 7:
                    node.Domain = reader.ReadString();
                    break;
                default:
                    reader.SkipField();
                    break;
            }
        }

        return node;
    }

    internal void Write(ProtoWriter writer)
    {
        foreach (string input in Inputs)
        {
            writer.WriteString(1, input);
        }

        foreach (string output in Outputs)
        {
            writer.WriteString(2, output);
        }

        if (Name.Length != 0)
        {
            writer.WriteString(3, Name);
        }

        if (OpType.Length != 0)
        {
            writer.WriteString(4, OpType);
        }

        foreach (OnnxAttribute attribute in Attributes)
        {
            int mark = writer.BeginMessage(5);
            attribute.Write(writer);
            writer.EndMessage(mark);
        }

        if (DocString.Length != 0)
        {
            writer.WriteString(6, DocString);
        }

        if (Domain.Length != 0)
        {
            writer.WriteString(7, Domain);
        }
    }
}
