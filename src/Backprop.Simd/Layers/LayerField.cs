namespace Backprop.Simd.Layers;

/// <summary>The type of a <see cref="LayerField"/> in a model file.</summary>
internal enum LayerFieldType : byte
{
    /// <summary>A size, i32 in [1, int.MaxValue].</summary>
    Size,

    /// <summary>A number, f64 in [<see cref="LayerField.Minimum"/>, <see cref="LayerField.Maximum"/>).</summary>
    Number,

    /// <summary>A key, u64, any value.</summary>
    Key,
}

/// <summary>
/// One field of a layer kind's model-file record after the input size, as data the model file reads and writes
/// generically: its name in messages ("the {name} of layer 3 is ..."), its type and its valid range.
/// </summary>
/// <param name="Name">The field's name, for example <c>dropout rate</c>.</param>
/// <param name="Type">Its type.</param>
/// <param name="Minimum">A number's smallest valid value.</param>
/// <param name="Maximum">The bound a number stays below.</param>
/// <param name="ExactInElementType">Whether a number is the layer's own float or double value widened to f64, so that a
/// file holding anything else did not come from a writer (and the range is checked in the element type).</param>
internal sealed record LayerField(string Name, LayerFieldType Type, double Minimum = 0, double Maximum = 0, bool ExactInElementType = false)
{
    /// <summary>A size field.</summary>
    public static LayerField Size(string name) => new(name, LayerFieldType.Size);

    /// <summary>A number in [<paramref name="minimum"/>, <paramref name="maximum"/>).</summary>
    public static LayerField Number(string name, double minimum, double maximum, bool exactInElementType = false) =>
        new(name, LayerFieldType.Number, minimum, maximum, exactInElementType);

    /// <summary>A 64-bit key.</summary>
    public static LayerField Key(string name) => new(name, LayerFieldType.Key);
}
