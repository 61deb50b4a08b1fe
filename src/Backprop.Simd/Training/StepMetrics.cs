namespace Backprop.Simd.Training;

/// <summary>What one optimizer step of <c>Fit</c> measured, recorded when <see cref="TrainingOptions.RecordSteps"/> is on.</summary>
/// <param name="Epoch">The epoch, counted from 1 across training calls as <see cref="EpochMetrics.Epoch"/> counts it.</param>
/// <param name="Step">The minibatch within the epoch, from 0.</param>
/// <param name="Loss">The step's objective: the loss as reduced plus the L1/L2 penalty (<see cref="EpochMetrics.Loss"/> averages these).</param>
/// <param name="GradientNorm">The Euclidean norm of the regularised gradient the optimizer received (<see cref="EpochMetrics.GradientNorm"/> averages these).</param>
/// <param name="LearningRate">The learning rate of the step.</param>
public readonly record struct StepMetrics(int Epoch, int Step, double Loss, double GradientNorm, double LearningRate);
