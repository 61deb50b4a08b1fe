using System.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// The kind of an activation layer: besides what every kind declares, whether it works element by element (the tool
/// offers those as hidden activations), whether the weights before it start He-initialised (ReLU-like), and its
/// factory for a size alone.
/// </summary>
internal abstract class ActivationKind : LayerKind
{
    private protected ActivationKind(string name, string toolName, byte fileCode, bool isElementWise, bool prefersHeInitialization, params LayerField[] fileFields)
        : base(name, toolName, fileCode, fileFields)
    {
        IsElementWise = isElementWise;
        PrefersHeInitialization = prefersHeInitialization;
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
}
