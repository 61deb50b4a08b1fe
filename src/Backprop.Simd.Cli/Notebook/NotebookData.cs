using System.Globalization;
using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>
/// The notebook's data: the training file's digits shuffled with numpy's <c>RandomState(seed).permutation</c>, the
/// first 500 held out as the test set and the rest trained on, as raw pixels and standardised in both ways.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class NotebookData<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The notebook's hold-out: the first 500 shuffled digits.</summary>
    public const int TestCount = 500;

    private NotebookData(Dataset<T> train, Dataset<T> test, string description)
    {
        Train = train;
        Test = test;
        Description = description;

        // sklearn.preprocessing.scale(X_train) and scale(X_test): each set with its own mean and population
        // deviation, a constant column to 0; the same arithmetic as the library's standardizer.
        Standardizer<T> trainScale = Standardizer<T>.Fit(train.Features);
        TrainStandardized = trainScale.Transform(train.Features);
        TestStandardized = Standardizer<T>.Fit(test.Features).Transform(test.Features);
        TestStandardizedFitted = trainScale.Transform(test.Features);
    }

    /// <summary>The training digits, raw pixels 0-255.</summary>
    public Dataset<T> Train { get; }

    /// <summary>The 500 test digits, raw pixels 0-255.</summary>
    public Dataset<T> Test { get; }

    /// <summary>Where the digits came from and how they were split, one line.</summary>
    public string Description { get; }

    /// <summary>The training digits standardised with their own mean and deviation.</summary>
    public Matrix<T> TrainStandardized { get; }

    /// <summary>The test digits standardised with their own mean and deviation: the notebook's quirk.</summary>
    public Matrix<T> TestStandardized { get; }

    /// <summary>The test digits standardised with the training set's mean and deviation, as one should.</summary>
    public Matrix<T> TestStandardizedFitted { get; }

    /// <summary>The rows of the first of <paramref name="batchCount"/> minibatches of the training digits: numpy's <c>array_split</c> makes the first ones the larger.</summary>
    public int FirstBatchRows(int batchCount) => (Train.Count + batchCount - 1) / batchCount;

    /// <summary>The fewest digits the split works with: the test set and one per minibatch.</summary>
    public static int MinimumCount(int batchCount) => TestCount + batchCount;

    /// <summary>Shuffles and splits <paramref name="all"/> as the notebook does.</summary>
    /// <param name="all">The training file's digits, raw pixels, in file order.</param>
    /// <param name="seed">numpy's seed, the notebook's 42.</param>
    /// <param name="trainLimit">Train on only the first this many of the remaining digits; 0 for all.</param>
    /// <param name="source">Where <paramref name="all"/> came from, for <see cref="Description"/>.</param>
    /// <param name="batchCount">The minibatches per epoch the data must fill.</param>
    /// <exception cref="InvalidDataException">There are too few digits.</exception>
    public static NotebookData<T> Split(Dataset<T> all, uint seed, int trainLimit, string source, int batchCount)
    {
        ArgumentNullException.ThrowIfNull(all);
        if (all.Count < MinimumCount(batchCount))
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{source} holds {all.Count:N0} training digits; the notebook's split needs at least {MinimumCount(batchCount):N0} ({TestCount} held out and one per minibatch)."));
        }

        int[] order = new NumpyRandom(seed).Permutation(all.Count);
        int trainCount = all.Count - TestCount;
        if (trainLimit > 0)
        {
            trainCount = Math.Min(trainCount, trainLimit);
        }

        Dataset<T> test = Gather(all, order.AsSpan(0, TestCount));
        Dataset<T> train = Gather(all, order.AsSpan(TestCount, trainCount));
        string description = string.Create(
            CultureInfo.InvariantCulture,
            $"{source}: {all.Count:N0} training digits shuffled with numpy's RandomState({seed}).permutation, the first {TestCount} held out, {train.Count:N0} trained on");
        return new NotebookData<T>(train, test, description);
    }

    /// <summary>The training and test features for <paramref name="input"/>, and the properly standardised test features (null for raw pixels).</summary>
    public (Matrix<T> Train, Matrix<T> Test, Matrix<T>? TestFitted) Features(NotebookInput input) => input == NotebookInput.Raw
        ? (Train.Features, Test.Features, null)
        : (TrainStandardized, TestStandardized, TestStandardizedFitted);

    private static Dataset<T> Gather(Dataset<T> all, ReadOnlySpan<int> rows)
    {
        var features = new Matrix<T>(rows.Length, all.FeatureCount);
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            all.Features.Row(rows[i]).CopyTo(features.Row(i));
            labels[i] = all.Labels[rows[i]];
        }

        return new Dataset<T>(features, labels, all.ClassCount);
    }
}
