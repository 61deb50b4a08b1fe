using System.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// A built-in layer kind, declared once (beside its layer class) with everything that lists layer kinds reads: its
/// code name, its command-line name, its model-file record, its ONNX form and its factory. <see cref="All"/> is the
/// list; a layer tells its kind through <see cref="Layer{T}.Kind"/>.
/// </summary>
/// <remarks>
/// The model-file record is data: a code byte and a list of typed fields after the input size, which the model file
/// reads and writes generically, so that a new kind needs no change there. The ONNX form is written through
/// <see cref="IOnnxChainWriter"/> and read from <see cref="IOnnxNode"/>, which the ONNX exporter and importer
/// implement; an import that takes a pattern of several nodes (a GELU written out with Erf, say) is the importer's,
/// which maps the pattern to the kind by <see cref="Name"/>.
/// </remarks>
public abstract class LayerKind
{
    private readonly LayerField[] _fileFields;

    private protected LayerKind(string name, string toolName, byte fileCode, params LayerField[] fileFields)
    {
        Name = name;
        ToolName = toolName;
        FileCode = fileCode;
        _fileFields = fileFields;
    }

    /// <summary>Every built-in kind, in the order of their model-file codes.</summary>
    public static IReadOnlyList<LayerKind> All { get; } =
    [
        DenseKind.Instance,
        SigmoidKind.Instance,
        TanhKind.Instance,
        ReluKind.Instance,
        LeakyReluKind.Instance,
        SoftmaxKind.Instance,
        DropoutKind.Instance,
        GeluKind.Instance,
        SiluKind.Instance,
    ];

    /// <summary>The fully connected layer, <see cref="Dense{T}"/>.</summary>
    public static LayerKind Dense => DenseKind.Instance;

    /// <summary>Inverted dropout, <see cref="Dropout{T}"/>.</summary>
    public static LayerKind Dropout => DropoutKind.Instance;

    /// <summary>The name in descriptions, for example <c>LeakyReLU</c>.</summary>
    public string Name { get; }

    /// <summary>The name on the command line, for example <c>leaky-relu</c>.</summary>
    public string ToolName { get; }

    /// <summary>The kind's code in a model file.</summary>
    internal byte FileCode { get; }

    /// <summary>The fields of the kind's model-file record after the input size.</summary>
    internal IReadOnlyList<LayerField> FileFields => _fileFields;

    /// <summary>The kind of a model-file code, or null for a code no kind has.</summary>
    internal static LayerKind? FromFileCode(byte code)
    {
        foreach (LayerKind kind in All)
        {
            if (kind.FileCode == code)
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>The kind called <paramref name="name"/> (a <see cref="Name"/>), or null.</summary>
    internal static LayerKind? Named(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>The codes and names of every kind, for messages: <c>1 Dense, 2 Sigmoid, ...</c>.</summary>
    internal static string DescribeFileCodes() => string.Join(", ", All.Select(k => $"{k.FileCode} {k.Name}"));

    /// <summary>The layer a record describes, with zero weights where it has any.</summary>
    internal abstract Layer<T> Create<T>(LayerRecord record)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The record of a layer of this kind.</summary>
    internal abstract LayerRecord Record<T>(Layer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The output size of a record's layer: its input size unless the kind stores another.</summary>
    internal virtual int OutputSize(LayerRecord record) => record.InputSize;

    /// <summary>The parameter count of a record's layer.</summary>
    internal virtual long ParameterCount(LayerRecord record) => 0;

    /// <summary>The description of a record's layer.</summary>
    internal virtual string Describe<T>(LayerRecord record)
        where T : unmanaged, IFloatingPointIeee754<T> => Create<T>(record).Description;

    /// <summary>ONNX export: writes the nodes that compute <paramref name="layer"/>, a layer of this kind, named after <paramref name="name"/>.</summary>
    /// <exception cref="NotSupportedException">The layer has no ONNX form that ONNX Runtime runs at the writer's opset and
    /// element type; the message starts with <paramref name="name"/> and the layer's description.</exception>
    internal abstract void WriteOnnx<T>(Layer<T> layer, IOnnxChainWriter writer, string name)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>ONNX import: the default-domain operators that a single node of becomes a layer of this kind, such as <c>Relu</c>.</summary>
    internal virtual IReadOnlyList<string> OnnxOperators => [];

    /// <summary>
    /// ONNX import: the values of the kind's <see cref="FileFields"/> (numbers) read from <paramref name="node"/>, a node
    /// of one of <see cref="OnnxOperators"/> in a graph of default-domain <paramref name="opset"/>, after checking its
    /// attributes; the importer checks the values against the fields' ranges.
    /// </summary>
    /// <exception cref="NotSupportedException">An attribute is not supported, or has a value the kind cannot represent.</exception>
    internal virtual double[] ReadOnnx(IOnnxNode node, long opset)
    {
        node.EnsureOnlyAttributes();
        return [];
    }

    /// <summary>The kind's <see cref="Name"/>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
