namespace Backprop.Simd.Cli.Notebook;

/// <summary>The sharpness of the training objective on the study's fixed minibatch after one epoch.</summary>
/// <param name="Epoch">The epoch just trained; 0 for the starting weights.</param>
/// <param name="Eigenvalue">The Hessian's eigenvalue of largest magnitude (of the variant's own objective).</param>
/// <param name="Ratio">Eigenvalue × learning rate / 2: gradient descent on a quadratic of this curvature turns unstable above 1.</param>
/// <param name="Iterations">The power iteration's Hessian-vector products.</param>
/// <param name="Converged">Whether it met its tolerance before running out of iterations.</param>
internal readonly record struct SharpnessPoint(int Epoch, double Eigenvalue, double Ratio, int Iterations, bool Converged);

/// <summary>What one variant of the error-spike study measured, each series on the published run's scale.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="Errors">The error of each epoch, as the notebook's error curve (the mean of its minibatch costs).</param>
/// <param name="GradientNorms">The mean norm of each epoch's minibatch gradients.</param>
/// <param name="LargestGradientNorms">The largest norm of each epoch's minibatch gradients.</param>
/// <param name="Sharpness">The sharpness every few epochs, from the starting weights on.</param>
/// <param name="TestAccuracies">The test accuracy after each epoch (test digits standardised as the notebook did).</param>
/// <param name="Seconds">Wall-clock seconds of the training and the estimates.</param>
internal sealed record SpikeResult(
    SpikeVariant Variant,
    double[] Errors,
    double[] GradientNorms,
    double[] LargestGradientNorms,
    IReadOnlyList<SharpnessPoint> Sharpness,
    double[] TestAccuracies,
    double Seconds)
{
    /// <summary>An error spike starts where the error exceeds this multiple of its lowest value over <see cref="Window"/> epochs before.</summary>
    public const double SpikeFactor = 1.5;

    /// <summary>A gradient burst starts where the mean gradient norm exceeds this multiple of its lowest value over <see cref="Window"/> epochs before.</summary>
    public const double BurstFactor = 3;

    /// <summary>The epochs before an epoch whose lowest value a rise is measured against.</summary>
    public const int Window = 5;

    /// <summary>The test accuracy after the last epoch.</summary>
    public double FinalTestAccuracy => TestAccuracies.Length == 0 ? double.NaN : TestAccuracies[^1];

    /// <summary>The readings after the starting weights at which lr·λ/2 was 1 or more, and how many readings there were.</summary>
    public (int AtThreshold, int Readings) Unstable =>
        (Sharpness.Count(p => p.Epoch > 0 && p.Ratio >= 1), Sharpness.Count(p => p.Epoch > 0));

    /// <summary>The largest <see cref="SharpnessPoint.Ratio"/>.</summary>
    public double LargestRatio => Sharpness.Count == 0 ? double.NaN : Sharpness.Max(p => p.Ratio);

    /// <summary>The epochs (from 1) at which an error spike starts (see <see cref="Rises"/>, <see cref="SpikeFactor"/>).</summary>
    public int[] SpikeEpochs => Rises(Errors, SpikeFactor);

    /// <summary>The epochs (from 1) at which a burst of the gradient norm starts (see <see cref="Rises"/>, <see cref="BurstFactor"/>).</summary>
    public int[] BurstEpochs => Rises(GradientNorms, BurstFactor);

    /// <summary>
    /// The epochs (from 1) where a rise starts: the value is above <paramref name="factor"/> times the lowest value of
    /// the <see cref="Window"/> epochs before, and the epoch before was not; a rise of several epochs counts once.
    /// </summary>
    /// <param name="series">One value per epoch.</param>
    /// <param name="factor">How many times its recent low a value must exceed.</param>
    /// <returns>The epochs where rises start.</returns>
    public static int[] Rises(IReadOnlyList<double> series, double factor)
    {
        ArgumentNullException.ThrowIfNull(series);
        var starts = new List<int>();
        bool previous = false;
        for (int e = 1; e < series.Count; e++)
        {
            double lowest = double.PositiveInfinity;
            for (int k = Math.Max(0, e - Window); k < e; k++)
            {
                lowest = Math.Min(lowest, series[k]);
            }

            bool rising = series[e] > factor * lowest;
            if (rising && !previous)
            {
                starts.Add(e + 1);
            }

            previous = rising;
        }

        return [.. starts];
    }
}
