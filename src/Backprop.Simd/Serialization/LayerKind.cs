namespace Backprop.Simd.Serialization;

/// <summary>The layer codes of a model file's architecture section.</summary>
internal enum LayerKind : byte
{
    Dense = 1,
    Sigmoid = 2,
    Tanh = 3,
    Relu = 4,
    LeakyRelu = 5,
    Softmax = 6,
    Dropout = 7,
}
