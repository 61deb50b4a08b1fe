using System.Numerics;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>A labelled classification set: features, one-hot targets and the labels themselves.</summary>
internal sealed record LabelledData<T>(Matrix<T> Inputs, Matrix<T> Targets, int[] Labels)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>Seeded synthetic data and small networks for the trainer tests (tests never read the shared data sets).</summary>
internal static class SyntheticData
{
    /// <summary>
    /// Gaussian blobs: each class has a random centre in [−1, 1]^features, and each sample is its class's centre plus
    /// noise of standard deviation <paramref name="noise"/>. Learnable, but not in one step.
    /// </summary>
    public static LabelledData<T> Blobs<T>(int samples, int features, int classes, ulong seed, double noise = 0.8)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(seed);
        var centres = new double[classes, features];
        for (int c = 0; c < classes; c++)
        {
            for (int j = 0; j < features; j++)
            {
                centres[c, j] = (2 * random.NextDouble()) - 1;
            }
        }

        var inputs = new Matrix<T>(samples, features);
        var targets = new Matrix<T>(samples, classes);
        var labels = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            int label = random.NextInt32(classes);
            labels[i] = label;
            targets[i, label] = T.One;
            for (int j = 0; j < features; j++)
            {
                inputs[i, j] = T.CreateTruncating(centres[label, j] + (noise * random.NextGaussian()));
            }
        }

        return new LabelledData<T>(inputs, targets, labels);
    }

    /// <summary>features → hidden ReLU → (dropout) → classes logits.</summary>
    public static Network<T> Mlp<T>(int features, int hidden, int classes, ulong seed, double dropout = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NetworkBuilder<T> builder = Network<T>.Create(features, seed).Dense(hidden, Activation.Relu);
        if (dropout > 0)
        {
            builder.Dropout(dropout);
        }

        return builder.Dense(classes).Build();
    }
}
