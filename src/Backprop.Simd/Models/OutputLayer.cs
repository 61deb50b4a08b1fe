namespace Backprop.Simd.Models;

/// <summary>How an <see cref="MlpClassifier{T}"/> turns its last layer's logits into a loss.</summary>
public enum OutputLayer
{
    /// <summary>Softmax with cross-entropy (the modern default).</summary>
    Softmax = 0,

    /// <summary>One sigmoid per class with binary cross-entropy, as in the original notebook (gradient a − y).</summary>
    Sigmoid = 1,
}
