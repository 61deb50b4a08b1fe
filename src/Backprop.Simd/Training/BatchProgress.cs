namespace Backprop.Simd.Training;

/// <summary>Progress within an epoch, reported after each minibatch when asked for.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Batch">The minibatch just finished, from 1.</param>
/// <param name="BatchCount">Minibatches in the epoch.</param>
/// <param name="Loss">The objective of this minibatch.</param>
/// <param name="SamplesPerSecond">Training throughput so far in this epoch.</param>
public readonly record struct BatchProgress(int Epoch, int Batch, int BatchCount, double Loss, double SamplesPerSecond);
