namespace Backprop.Simd.Training;

/// <summary>The loss of a batch and the L1/L2 penalty of the weights, as <see cref="NetworkGradients.ComputeGradient"/> reports them.</summary>
/// <param name="Loss">The loss, reduced (mean or sum) over the batch.</param>
/// <param name="Penalty">The penalty, l1 Σ|w| + (l2 / 2) Σw².</param>
public readonly record struct RegularizedLoss(double Loss, double Penalty)
{
    /// <summary>The objective the gradient is of: the loss plus the penalty.</summary>
    public double Objective => Loss + Penalty;
}
