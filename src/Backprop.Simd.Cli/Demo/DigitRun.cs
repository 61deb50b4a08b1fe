namespace Backprop.Simd.Cli.Demo;

/// <summary>One classifier run of the demo, as its error figure draws it.</summary>
/// <param name="Name">What was trained, for the legend.</param>
/// <param name="Input">How the pixels were given.</param>
/// <param name="FirstEpoch">The number of the run's first epoch (a warm start continues the count).</param>
/// <param name="Losses">The mean cross-entropy per digit of each epoch.</param>
internal sealed record DigitRun(string Name, string Input, int FirstEpoch, double[] Losses);
