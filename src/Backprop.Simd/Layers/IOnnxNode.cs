namespace Backprop.Simd.Layers;

/// <summary>
/// An ONNX node as a layer kind reads it on import (<see cref="LayerKind.ReadOnnx"/>): its operator and its
/// attributes by name, each absent one giving the caller's default and a present one of another type an
/// <see cref="InvalidDataException"/>. The ONNX importer's node implements it.
/// </summary>
internal interface IOnnxNode
{
    /// <summary>The operator, such as <c>LeakyRelu</c>.</summary>
    string OpType { get; }

    /// <summary>How error messages name the node: <c>node '/1/LeakyRelu' (LeakyRelu)</c>.</summary>
    string Describe();

    /// <summary>Throws <see cref="NotSupportedException"/> naming the first attribute not in <paramref name="supported"/>.</summary>
    void EnsureOnlyAttributes(params ReadOnlySpan<string> supported);

    /// <summary>The INT attribute <paramref name="name"/>, or <paramref name="defaultValue"/>.</summary>
    long GetInt(string name, long defaultValue);

    /// <summary>
    /// The FLOAT attribute <paramref name="name"/> as the shortest decimal that rounds to it (0.01f gives 0.01, not the
    /// float's binary expansion 0.009999999776: the value the model was most likely written with), or
    /// <paramref name="defaultValue"/>.
    /// </summary>
    double GetNumber(string name, double defaultValue);

    /// <summary>The STRING attribute <paramref name="name"/>, or <paramref name="defaultValue"/>.</summary>
    string GetString(string name, string defaultValue);
}
