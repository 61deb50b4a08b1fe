using System.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// A built-in layer as data: its kind, its input size and the values of its kind's <see cref="LayerKind.FileFields"/>
/// in their order (a size or a key as is, a number as its f64 bits). A model file stores it; the kind builds the layer
/// from it.
/// </summary>
internal readonly struct LayerRecord
{
    private readonly ulong[] _fields;

    /// <param name="kind">The kind.</param>
    /// <param name="inputSize">Features in.</param>
    /// <param name="fields">The field values, one per <see cref="LayerKind.FileFields"/> entry (taken over).</param>
    public LayerRecord(LayerKind kind, int inputSize, params ulong[] fields)
    {
        Kind = kind;
        InputSize = inputSize;
        _fields = fields;
    }

    public LayerKind Kind { get; }

    public int InputSize { get; }

    /// <summary>Features out.</summary>
    public int OutputSize => Kind.OutputSize(this);

    /// <summary>The layer's parameter count.</summary>
    public long ParameterCount => Kind.ParameterCount(this);

    /// <summary>The raw value of field <paramref name="index"/>.</summary>
    public ulong Field(int index) => _fields[index];

    /// <summary>Field <paramref name="index"/> as a size.</summary>
    public int Size(int index) => (int)_fields[index];

    /// <summary>Field <paramref name="index"/> as a number.</summary>
    public double Number(int index) => BitConverter.UInt64BitsToDouble(_fields[index]);

    /// <summary>The raw value of a number.</summary>
    public static ulong Bits(double value) => BitConverter.DoubleToUInt64Bits(value);

    /// <summary>The record of a built-in layer.</summary>
    /// <exception cref="ArgumentException">A layer of no built-in kind (a user's own layer).</exception>
    public static LayerRecord Of<T>(Layer<T> layer, int index)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        layer.Kind is { } kind
            ? kind.Record(layer)
            : throw new ArgumentException(
                $"Layer {index} ({layer.Description}, a {layer.GetType().Name}) cannot be saved: a model file stores only the built-in layers {string.Join(", ", LayerKind.All)}.");

    /// <summary>The layer, with zero weights where it has any (the model file's parameters fill them).</summary>
    public Layer<T> Create<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => Kind.Create<T>(this);

    /// <summary>The layer's <see cref="Layer{T}.Description"/>, without allocating a dense layer's weights.</summary>
    public string Describe<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => Kind.Describe<T>(this);
}
