namespace Backprop.Simd.Models;

/// <summary>What a classifier's network outputs, one value per class.</summary>
public enum ClassifierOutput
{
    /// <summary>Raw scores, which softmax turns into probabilities: what <see cref="MlpClassifier{T}"/> trains.</summary>
    Logits = 0,

    /// <summary>Class probabilities that sum to 1: the network ends in a softmax layer of its own (an imported one may).</summary>
    Probabilities = 1,
}
