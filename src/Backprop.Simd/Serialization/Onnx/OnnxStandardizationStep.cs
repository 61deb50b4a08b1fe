namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// One step of an imported standardisation: the Sub, Div or Mul node, its constant, and the dimensions of a sample
/// where it applies (null for [features], the count known only once the weights are read).
/// </summary>
internal sealed record OnnxStandardizationStep(OnnxNode Node, OnnxTensor Tensor, long[]? FeatureDims)
{
    /// <summary>Whether the step divides (Div) rather than multiplies (Mul) or subtracts (Sub).</summary>
    public bool Divides => Node.OpType == "Div";
}
