using System.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// The kind of an activation layer: besides what every kind declares, whether it works element by element (the tool
/// offers those as hidden activations), whether the weights before it start He-initialised (ReLU-like), its factory
/// for a size alone, and the ONNX operator that computes it, when one does without attributes.
/// </summary>
internal abstract class ActivationKind : LayerKind
{
    private readonly string? _onnxOperator;

    private protected ActivationKind(string name, string toolName, byte fileCode, bool isElementWise, bool prefersHeInitialization, string? onnxOperator, params LayerField[] fileFields)
        : base(name, toolName, fileCode, fileFields)
    {
        IsElementWise = isElementWise;
        PrefersHeInitialization = prefersHeInitialization;
        _onnxOperator = onnxOperator;
    }

    /// <summary>Whether f acts on each element alone (not on whole rows, as softmax does).</summary>
    public bool IsElementWise { get; }

    /// <summary>Whether a dense layer before it starts with He initialisation rather than Glorot.</summary>
    public bool PrefersHeInitialization { get; }

    /// <summary>The activation for <paramref name="size"/> features with the kind's default settings.</summary>
    public abstract Layer<T> Create<T>(int size)
        where T : unmanaged, IFloatingPointIeee754<T>;

    internal override Layer<T> Create<T>(LayerRecord record) => Create<T>(record.InputSize);

    internal override LayerRecord Record<T>(Layer<T> layer) => new(this, layer.InputSize);

    internal override IReadOnlyList<string> OnnxOperators => _onnxOperator is null ? [] : [_onnxOperator];

    /// <summary>The operator of the kind's name, such as <c>Relu</c> for a node <c>layer1_relu</c>; a kind without one overrides this.</summary>
    internal override void WriteOnnx<T>(Layer<T> layer, IOnnxChainWriter writer, string name) =>
        writer.Node(_onnxOperator ?? throw new NotSupportedException($"{name} ({layer.Description}) has no ONNX form."), OnnxNodeName(name), [writer.Current]);

    /// <summary>The name of the kind's node for a layer named <paramref name="name"/>: <c>layer1_leaky_relu</c>.</summary>
    private protected string OnnxNodeName(string name) => $"{name}_{ToolName.Replace('-', '_')}";
}
