namespace Backprop.Simd.Metrics;

/// <summary>
/// How often each true class was predicted as each class: entry [actual, predicted] counts the samples of class
/// <c>actual</c> that were predicted as <c>predicted</c>, so the diagonal holds the correct predictions, a row sums to
/// the class's support and a column to how often the class was predicted (scikit-learn's <c>confusion_matrix</c>
/// with <c>labels=range(classCount)</c>).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[] _counts;

    private ConfusionMatrix(int classCount, int[] counts, int sampleCount)
    {
        ClassCount = classCount;
        _counts = counts;
        SampleCount = sampleCount;
    }

    /// <summary>The number of classes: the matrix is <see cref="ClassCount"/> x <see cref="ClassCount"/>.</summary>
    public int ClassCount { get; }

    /// <summary>The number of samples counted (the sum of every entry).</summary>
    public int SampleCount { get; }

    /// <summary>The number of correct predictions (the sum of the diagonal).</summary>
    public int CorrectCount
    {
        get
        {
            int correct = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                correct += this[c, c];
            }

            return correct;
        }
    }

    /// <summary>The fraction of samples predicted correctly, in [0, 1].</summary>
    public double Accuracy => (double)CorrectCount / SampleCount;

    /// <summary>The samples of class <paramref name="actual"/> that were predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">The true class, in [0, <see cref="ClassCount"/>).</param>
    /// <param name="predicted">The predicted class, in [0, <see cref="ClassCount"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside [0, <see cref="ClassCount"/>).</exception>
    public int this[int actual, int predicted]
    {
        get
        {
            CheckClass(predicted, nameof(predicted));
            return Row(actual)[predicted];
        }
    }

    /// <summary>
    /// Counts the pairs of <paramref name="actual"/> and <paramref name="predicted"/> classes.
    /// </summary>
    /// <param name="actual">The true class of each sample, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="predicted">The predicted class of each sample, as many as <paramref name="actual"/>, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes; positive.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not positive, or a class is outside [0, <paramref name="classCount"/>) (the message names the first such index and its value).</exception>
    /// <exception cref="ArgumentException">The spans differ in length, or are empty.</exception>
    public static ConfusionMatrix Compute(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"There are {actual.Length} true classes but {predicted.Length} predicted classes; give one of each per sample.", nameof(predicted));
        }

        if (actual.IsEmpty)
        {
            throw new ArgumentException("There are no samples: a confusion matrix needs at least one.", nameof(actual));
        }

        CheckClasses(actual, classCount, nameof(actual));
        CheckClasses(predicted, classCount, nameof(predicted));
        var counts = new int[classCount * classCount];
        for (int i = 0; i < actual.Length; i++)
        {
            counts[(actual[i] * classCount) + predicted[i]]++;
        }

        return new ConfusionMatrix(classCount, counts, actual.Length);
    }

    /// <summary>The counts of the samples of class <paramref name="actual"/>, by predicted class.</summary>
    /// <param name="actual">The true class, in [0, <see cref="ClassCount"/>).</param>
    /// <returns><see cref="ClassCount"/> counts.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="actual"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public ReadOnlySpan<int> Row(int actual)
    {
        CheckClass(actual, nameof(actual));
        return _counts.AsSpan(actual * ClassCount, ClassCount);
    }

    /// <summary>The support of a class: how many samples truly belong to it (its row's sum).</summary>
    /// <param name="classIndex">The class, in [0, <see cref="ClassCount"/>).</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public int Support(int classIndex)
    {
        int sum = 0;
        foreach (int count in Row(classIndex))
        {
            sum += count;
        }

        return sum;
    }

    /// <summary>How many samples were predicted as a class (its column's sum).</summary>
    /// <param name="classIndex">The class, in [0, <see cref="ClassCount"/>).</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public int PredictedCount(int classIndex)
    {
        CheckClass(classIndex, nameof(classIndex));
        int sum = 0;
        for (int actual = 0; actual < ClassCount; actual++)
        {
            sum += _counts[(actual * ClassCount) + classIndex];
        }

        return sum;
    }

    private void CheckClass(int classIndex, string name)
    {
        if ((uint)classIndex >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(name, classIndex, $"Class {classIndex} is outside [0, {ClassCount}).");
        }
    }

    private static void CheckClasses(ReadOnlySpan<int> classes, int classCount, string name)
    {
        for (int i = 0; i < classes.Length; i++)
        {
            if ((uint)classes[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(name, classes[i], $"Class {classes[i]} at index {i} of {name} is outside [0, {classCount}); the report has {classCount} classes.");
            }
        }
    }
}
