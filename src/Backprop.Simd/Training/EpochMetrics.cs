namespace Backprop.Simd.Training;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">The epoch, counted from 1 across training calls.</param>
/// <param name="Loss">The training objective (loss as reduced, plus the L1/L2 penalty), averaged over the epoch's minibatches.</param>
/// <param name="DataLoss">The mean per-sample loss over the epoch, without penalty.</param>
/// <param name="ValidationLoss">The mean per-sample loss on the validation set after the epoch; NaN without one.</param>
/// <param name="ValidationAccuracy">The validation accuracy after the epoch; NaN without a validation set.</param>
/// <param name="GradientNorm">The mean Euclidean norm of the minibatch gradients (penalty included).</param>
/// <param name="LearningRate">The learning rate used in the epoch.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch's training steps (validation excluded).</param>
public readonly record struct EpochMetrics(
    int Epoch,
    double Loss,
    double DataLoss,
    double ValidationLoss,
    double ValidationAccuracy,
    double GradientNorm,
    double LearningRate,
    double Seconds);
