using System.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// A built-in layer kind, declared once (beside its layer class) with everything that lists layer kinds reads: its
/// code name, its command-line name, its model-file record and its factory. <see cref="All"/> is the list; a
/// layer tells its kind through <see cref="Layer{T}.Kind"/>.
/// </summary>
/// <remarks>
/// The model-file record is data: a code byte and a list of typed fields after the input size, which the model file
/// reads and writes generically, so that a new kind needs no change there. A mapping to another format (ONNX) belongs
/// here too, as a member of the kind.
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

    /// <summary>The kind's <see cref="Name"/>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
