namespace Backprop.Simd.Serialization.Onnx;

/// <summary>ONNX's <c>OperatorSetIdProto</c>: one operator set a model imports, domain (1) and version (2).</summary>
internal sealed class OnnxOperatorSetId
{
    internal static readonly ProtoMessageInfo Info = new("OperatorSetIdProto", (1, "domain"), (2, "version"));

    private string _domain = "";

    /// <summary>
    /// The domain (field 1); "" is the default ONNX domain (also spelled "ai.onnx"). Setting it, even to "", makes the
    /// field present, as in protobuf: onnx.helper writes an explicit empty domain, torch.onnx.export omits it, and
    /// both round-trip byte for byte.
    /// </summary>
    public string Domain
    {
        get => _domain;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _domain = value;
            HasDomain = true;
        }
    }

    /// <summary>Whether field 1 is present (set or read), even when empty.</summary>
    public bool HasDomain { get; private set; }

    /// <summary>The operator set version (field 2), e.g. 13.</summary>
    public long Version { get; set; }

    /// <summary>Whether this is the default ONNX domain: "" or "ai.onnx".</summary>
    public bool IsDefaultDomain => Domain.Length == 0 || Domain == OnnxModel.DefaultDomainAlias;

    internal static OnnxOperatorSetId Read(ref ProtoReader reader)
    {
        var opset = new OnnxOperatorSetId();
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1:
                    opset.Domain = reader.ReadString();
                    break;
                case 2:
                    opset.Version = reader.ReadInt64();
                    break;
                default:
                    reader.SkipField();
                    break;
            }
        }

        return opset;
    }

    internal void Write(ProtoWriter writer)
    {
        if (HasDomain)
        {
            writer.WriteString(1, Domain);
        }

        if (Version != 0)
        {
            writer.WriteInt64(2, Version);
        }
    }
}
