namespace Backprop.Simd.Cli.Demo;

/// <summary>One classifier run of the demo and what it measured.</summary>
/// <param name="Name">What was trained, for the table and the legend.</param>
/// <param name="Input">How the pixels were given.</param>
/// <param name="FirstEpoch">The classifier's epoch count before this run plus one (a warm start continues the count).</param>
/// <param name="Losses">The mean cross-entropy per digit of each epoch.</param>
/// <param name="TrainAccuracy">Accuracy on the training digits afterwards.</param>
/// <param name="TestAccuracy">Accuracy on the 500 held-out digits afterwards.</param>
/// <param name="NotebookAccuracy">The notebook's published test accuracy for this run; NaN where it gives none.</param>
/// <param name="Seconds">Wall-clock seconds of the run.</param>
internal sealed record DigitRun(string Name, string Input, int FirstEpoch, double[] Losses, double TrainAccuracy, double TestAccuracy, double NotebookAccuracy, double Seconds);
