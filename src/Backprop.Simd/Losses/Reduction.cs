namespace Backprop.Simd.Losses;

/// <summary>How per-sample losses and gradients combine over a minibatch.</summary>
public enum Reduction
{
    /// <summary>The mean over the samples (the modern default: the learning rate does not depend on the batch size).</summary>
    Mean = 0,

    /// <summary>The sum over the samples (the original notebook's choice, hence its tiny learning rates).</summary>
    Sum = 1,
}
