namespace Backprop.Simd.Cli.Notebook;

/// <summary>Where a replay stands after an epoch.</summary>
/// <param name="Experiment">The experiment being trained.</param>
/// <param name="Epoch">The epoch just finished, from 1 within the experiment.</param>
/// <param name="Epochs">The experiment's epochs.</param>
/// <param name="Error">The epoch's cost (see <see cref="ExperimentResult{T}.History"/>).</param>
/// <param name="WorkDone">The work done so far in the whole replay, in multiply-adds per sample times epochs.</param>
/// <param name="WorkTotal">The work of the whole replay in the same unit, so that WorkDone / WorkTotal estimates the time elapsed.</param>
internal readonly record struct ReplayProgress(NotebookExperiment Experiment, int Epoch, int Epochs, double Error, double WorkDone, double WorkTotal);
