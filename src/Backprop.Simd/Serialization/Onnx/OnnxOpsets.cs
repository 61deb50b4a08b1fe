namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// The default-domain operator set versions the exporter writes and the importer reads, and the IR version that goes
/// with each. None of the operators the exporter writes changed meaning for 2-D float or double tensors between opset 13
/// and <see cref="Newest"/>; later versions only added element types (an operator added later, such as Gelu at 20, is
/// written only from its opset on).
/// </summary>
internal static class OnnxOpsets
{
    /// <summary>The oldest opset the exporter writes: 13 gave Softmax its per-axis meaning.</summary>
    public const int OldestExport = 13;

    /// <summary>The oldest opset the importer reads: before 7, Gemm and the activations had other attributes.</summary>
    public const int OldestImport = 7;

    /// <summary>The newest opset this library knows (ONNX 1.18); ONNX Runtime 1.32 runs exported models at every version up to it.</summary>
    public const int Newest = 23;

    /// <summary>
    /// The IR version of the ONNX release that introduced <paramref name="opset"/> (opset 13: 7, 15: 8, 19: 9, 21: 10, 23: 11),
    /// the oldest file format a runtime expects for it (onnx.helper's VERSION_TABLE).
    /// </summary>
    public static long IrVersion(int opset) => opset switch
    {
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        <= 22 => 10,
        _ => 11,
    };
}
