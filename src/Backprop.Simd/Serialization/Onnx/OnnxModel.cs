namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// ONNX's <c>ModelProto</c>: the top-level message of a .onnx file. Fields: ir_version (1), producer_name (2),
/// producer_version (3), domain (4), model_version (5), doc_string (6), graph (7), opset_import (8); metadata,
/// training info and functions are skipped when read. Decoding and encoding are in OnnxModel.Encoding.cs.
/// </summary>
internal sealed partial class OnnxModel
{
    /// <summary>The other spelling of the default ONNX domain "".</summary>
    public const string DefaultDomainAlias = "ai.onnx";

    internal static readonly ProtoMessageInfo Info = new(
        "ModelProto",
        (1, "ir_version"), (2, "producer_name"), (3, "producer_version"), (4, "domain"), (5, "model_version"),
        (6, "doc_string"), (7, "graph"), (8, "opset_import"), (14, "metadata_props"), (20, "training_info"), (25, "functions"));

    /// <summary>The IR version of the file format (field 1), e.g. 8 for ONNX 1.10 to 1.12.</summary>
    public long IrVersion { get; set; }

    /// <summary>The operator sets the graph uses (field 8).</summary>
    public List<OnnxOperatorSetId> OpsetImports { get; } = [];

    /// <summary>The tool that wrote the model (field 2), e.g. "pytorch".</summary>
    public string ProducerName { get; set; } = "";

    /// <summary>The version of that tool (field 3).</summary>
    public string ProducerVersion { get; set; } = "";

    /// <summary>A reverse-DNS namespace for the model (field 4).</summary>
    public string Domain { get; set; } = "";

    /// <summary>The version of the model itself (field 5).</summary>
    public long ModelVersion { get; set; }

    /// <summary>Documentation (field 6).</summary>
    public string DocString { get; set; } = "";

    /// <summary>The graph (field 7), or <see langword="null"/> when absent.</summary>
    public OnnxGraph? Graph { get; set; }

    /// <summary>The graph; throws <see cref="InvalidDataException"/> when the model has none.</summary>
    public OnnxGraph RequireGraph() => Graph ?? throw new InvalidDataException("The ONNX model has no graph.");

    /// <summary>
    /// The version of the operator set imported for <paramref name="domain"/> ("" and "ai.onnx" both mean the default
    /// domain), or <see langword="null"/> when it is not imported. Throws <see cref="InvalidDataException"/> when the
    /// domain is imported twice.
    /// </summary>
    public long? FindOpsetVersion(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        bool wantDefault = domain.Length == 0 || domain == DefaultDomainAlias;
        long? version = null;
        foreach (OnnxOperatorSetId opset in OpsetImports)
        {
            if (wantDefault ? opset.IsDefaultDomain : opset.Domain == domain)
            {
                if (version is not null)
                {
                    throw new InvalidDataException($"The ONNX model imports the operator set domain '{domain}' twice.");
                }

                version = opset.Version;
            }
        }

        return version;
    }

    /// <summary>The version of the default ONNX operator set; throws <see cref="InvalidDataException"/> when the model does not import it.</summary>
    public long GetDefaultOpsetVersion() =>
        FindOpsetVersion("") ?? throw new InvalidDataException("The ONNX model imports no operator set for the default domain (\"\" or \"ai.onnx\").");

    internal static OnnxModel Read(ref ProtoReader reader)
    {
        var model = new OnnxModel();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1:
                    model.IrVersion = reader.ReadInt64();
                    break;
                case 2:
                    model.ProducerName = reader.ReadString();
                    break;
                case 3:
                    model.ProducerVersion = reader.ReadString();
                    break;
                case 4:
                    model.Domain = reader.ReadString();
                    break;
                case 5:
                    model.ModelVersion = reader.ReadInt64();
                    break;
                case 6:
                    model.DocString = reader.ReadString();
                    break;
                case 7:
                    ProtoReader graph = reader.ReadMessage(OnnxGraph.Info);
                    model.Graph = OnnxGraph.Read(ref graph);
                    break;
                case 8:
                    ProtoReader opset = reader.ReadMessage(OnnxOperatorSetId.Info);
                    model.OpsetImports.Add(OnnxOperatorSetId.Read(ref opset));
                    break;
                default:
                    reader.SkipField();
                    break;
            }
        }

        return model;
    }

    internal void Write(ProtoWriter writer)
    {
        if (IrVersion != 0)
        {
            writer.WriteInt64(1, IrVersion);
        }

        if (ProducerName.Length != 0)
        {
            writer.WriteString(2, ProducerName);
        }

        if (ProducerVersion.Length != 0)
        {
            writer.WriteString(3, ProducerVersion);
        }

        if (Domain.Length != 0)
        {
            writer.WriteString(4, Domain);
        }

        if (ModelVersion != 0)
        {
            writer.WriteInt64(5, ModelVersion);
        }

        if (DocString.Length != 0)
        {
            writer.WriteString(6, DocString);
        }

        if (Graph is not null)
        {
            int mark = writer.BeginMessage(7);
            Graph.Write(writer);
            writer.EndMessage(mark);
        }

        foreach (OnnxOperatorSetId opset in OpsetImports)
        {
            int mark = writer.BeginMessage(8);
            opset.Write(writer);
            writer.EndMessage(mark);
        }
    }
}
