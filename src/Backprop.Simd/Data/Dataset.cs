using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Data;

/// <summary>
/// A labelled data set for classification: a feature matrix [samples x features] and one class label per row,
/// each in [0, <see cref="ClassCount"/>).
/// </summary>
/// <remarks>
/// Typical use, as in the MNIST notebook: load, shuffle with a fixed seed, hold out the first rows as the test set,
/// fit a <see cref="Standardizer{T}"/> on the training rows and apply it to both:
/// <code>
/// var all = Dataset&lt;float&gt;.LoadIdx("images.gz", "labels.gz", classCount: 10);
/// all.Shuffle(42);
/// DatasetSplit&lt;float&gt; split = all.Split(heldOutCount: 500);
/// Dataset&lt;float&gt; test = split.HeldOut, train = split.Remaining;
/// </code>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Dataset<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a data set over <paramref name="features"/> and <paramref name="labels"/> (neither is copied).</summary>
    /// <param name="features">[samples x features].</param>
    /// <param name="labels">One label per row of <paramref name="features"/>.</param>
    /// <param name="classCount">The number of classes; positive.</param>
    /// <exception cref="ArgumentException">The number of labels differs from the number of rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, <paramref name="classCount"/>) (the message names its index and value), or <paramref name="classCount"/> is not positive.</exception>
    public Dataset(Matrix<T> features, int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (features.Rows != labels.Length)
        {
            throw new ArgumentException($"There are {labels.Length} labels for {features.Rows} feature rows.", nameof(labels));
        }

        OneHot.CheckLabels(labels, classCount, nameof(labels));
        Features = features;
        Labels = labels;
        ClassCount = classCount;
    }

    /// <summary>The features, one row per sample.</summary>
    public Matrix<T> Features { get; }

    /// <summary>The class of each sample, in [0, <see cref="ClassCount"/>); the array is the data set's own, so edits must keep that range.</summary>
    public int[] Labels { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>The number of features per sample.</summary>
    public int FeatureCount => Features.Columns;

    /// <summary>
    /// Shuffles the samples in place, feature rows and labels together: Fisher-Yates from the last row down with a
    /// <see cref="SeededRandom"/> seeded with <paramref name="seed"/>, so the same seed always gives the same order
    /// (the same permutation as <see cref="SeededRandom.Shuffle{TItem}(Span{TItem})"/> on an array of indices).
    /// </summary>
    /// <param name="seed">The seed.</param>
    public void Shuffle(ulong seed)
    {
        var random = new SeededRandom(seed);
        int[] labels = Labels;
        var temporary = new T[FeatureCount];
        for (int i = labels.Length - 1; i > 0; i--)
        {
            int j = random.NextInt32(i + 1);
            if (j == i)
            {
                continue;
            }

            (labels[i], labels[j]) = (labels[j], labels[i]);
            Span<T> a = Features.Row(i);
            Span<T> b = Features.Row(j);
            a.CopyTo(temporary);
            b.CopyTo(a);
            temporary.CopyTo(b);
        }
    }

    /// <summary>
    /// Holds out the first <paramref name="heldOutCount"/> samples (a test or validation set; shuffle first for a
    /// random one) from the rest (the training set), as two independent copies.
    /// </summary>
    /// <param name="heldOutCount">The size of <see cref="DatasetSplit{T}.HeldOut"/>, in [0, <see cref="Count"/>].</param>
    /// <returns>The held-out samples and the remaining ones, each in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="heldOutCount"/> is outside [0, <see cref="Count"/>].</exception>
    public DatasetSplit<T> Split(int heldOutCount)
    {
        if ((uint)heldOutCount > (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(heldOutCount), heldOutCount, $"Cannot hold out {heldOutCount} samples from a data set of {Count}.");
        }

        return new DatasetSplit<T>(Take(0, heldOutCount), Take(heldOutCount, Count - heldOutCount));
    }

    /// <summary>The labels one-hot encoded: a new [samples x classes] matrix.</summary>
    /// <returns>The matrix.</returns>
    public Matrix<T> OneHotLabels() => OneHot.Encode<T>(Labels, ClassCount);

    /// <summary>The number of samples of each class.</summary>
    /// <returns>An array of <see cref="ClassCount"/> counts.</returns>
    /// <exception cref="InvalidOperationException">A label was edited to outside [0, <see cref="ClassCount"/>).</exception>
    public int[] CountPerClass()
    {
        var counts = new int[ClassCount];
        for (int i = 0; i < Labels.Length; i++)
        {
            // Labels is the caller's array and may have been edited since construction.
            if ((uint)Labels[i] >= (uint)ClassCount)
            {
                throw new InvalidOperationException($"Label {Labels[i]} at index {i} is outside [0, {ClassCount}).");
            }

            counts[Labels[i]]++;
        }

        return counts;
    }

    /// <summary>
    /// Builds a data set from an image array [count x ...] (each item becomes one row of features) and a label array
    /// [count] as read by <see cref="IdxReader"/>.
    /// </summary>
    /// <param name="images">The images (any rank; the items are flattened).</param>
    /// <param name="labels">The labels: one dimension, as many as there are images.</param>
    /// <param name="classCount">The number of classes; every label must be below it.</param>
    /// <param name="scaling">How bytes become features.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="ArgumentException">The arrays do not match (rank, count) or a label is out of range; the message says which.</exception>
    public static Dataset<T> FromIdx(IdxArray images, IdxArray labels, int classCount, PixelScaling scaling = PixelScaling.UnitInterval)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        string? problem = Check(images, labels, classCount, "the images", "the labels");
        if (problem is not null)
        {
            throw new ArgumentException(problem + ".", nameof(labels));
        }

        return Build(images, labels, classCount, scaling);
    }

    /// <summary>Loads an image file and a label file (IDX, plain or gzip) and checks that they form a pair.</summary>
    /// <param name="imagesPath">The images: magic 0x00000803, [count x rows x columns].</param>
    /// <param name="labelsPath">The labels: magic 0x00000801, [count].</param>
    /// <param name="classCount">The number of classes; every label in the file must be below it, kept or not.</param>
    /// <param name="scaling">How bytes become features.</param>
    /// <param name="limits">
    /// How many samples to keep (the first ones) and how large an image may be; null keeps everything. Both files are
    /// still read and checked in full, a chunk at a time, so memory follows the samples kept.
    /// </param>
    /// <returns>The data set: one row of rows * columns features per image kept.</returns>
    /// <exception cref="InvalidDataException">A file is malformed, the counts differ or a label is out of range (the message names the file and the label's index); the message names the file.</exception>
    /// <exception cref="IOException">A file cannot be opened or read.</exception>
    public static Dataset<T> LoadIdx(string imagesPath, string labelsPath, int classCount, PixelScaling scaling = PixelScaling.UnitInterval, IdxReadLimits? limits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        string imagesName = $"images file '{imagesPath}'", labelsName = $"labels file '{labelsPath}'";
        (IdxArray images, int imageCount) = IdxReader.ReadImagesCounted(imagesPath, limits);
        (IdxArray labels, int labelCount) = IdxReader.ReadLabels(labelsPath, limits, LabelCheck(classCount, labelsName));
        return FromFiles(images, imageCount, labels, labelCount, classCount, scaling, imagesName, labelsName);
    }

    /// <summary>Loads an image stream and a label stream (IDX, plain or gzip) and checks that they form a pair.</summary>
    /// <param name="images">The images: magic 0x00000803, [count x rows x columns]; left open.</param>
    /// <param name="labels">The labels: magic 0x00000801, [count]; left open.</param>
    /// <param name="classCount">The number of classes; every label in the stream must be below it, kept or not.</param>
    /// <param name="scaling">How bytes become features.</param>
    /// <param name="limits">How many samples to keep and how large an image may be (see <see cref="LoadIdx(string, string, int, PixelScaling, IdxReadLimits?)"/>); null keeps everything.</param>
    /// <returns>The data set: one row of rows * columns features per image kept.</returns>
    /// <exception cref="InvalidDataException">A stream is malformed, the counts differ or a label is out of range.</exception>
    public static Dataset<T> LoadIdx(Stream images, Stream labels, int classCount, PixelScaling scaling = PixelScaling.UnitInterval, IdxReadLimits? limits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        (IdxArray imageArray, int imageCount) = IdxReader.ReadImagesCounted(images, limits);
        (IdxArray labelArray, int labelCount) = IdxReader.ReadLabels(labels, limits, LabelCheck(classCount, "labels stream"));
        return FromFiles(imageArray, imageCount, labelArray, labelCount, classCount, scaling, "images stream", "labels stream");
    }

    /// <summary>Refuses the first label of a file, kept or not, that is not below <paramref name="classCount"/>.</summary>
    private static IdxDataObserver LabelCheck(int classCount, string labelsName) => (data, index) =>
    {
        int i = classCount > byte.MaxValue ? -1 : data.IndexOfAnyInRange((byte)classCount, byte.MaxValue);
        if (i >= 0)
        {
            throw new InvalidDataException(LabelProblem(labelsName, data[i], index + i, classCount) + ".");
        }
    };

    private static string LabelProblem(string labelsName, int label, long index, int classCount) =>
        $"{labelsName}: label {label} at index {index} (byte offset {IdxFormat.HeaderLength(1) + index} of the IDX content) is not below the class count {classCount}";

    private static Dataset<T> FromFiles(IdxArray images, int imageCount, IdxArray labels, int labelCount, int classCount, PixelScaling scaling, string imagesName, string labelsName)
    {
        // The declared counts: a limit keeps as many of each, which would hide a mismatch.
        if (imageCount != labelCount)
        {
            throw new InvalidDataException($"{imagesName} holds {imageCount} images but {labelsName} holds {labelCount} labels.");
        }

        string? problem = Check(images, labels, classCount, imagesName, labelsName);
        if (problem is not null)
        {
            throw new InvalidDataException(problem + ".");
        }

        return Build(images, labels, classCount, scaling);
    }

    private static string? Check(IdxArray images, IdxArray labels, int classCount, string imagesName, string labelsName)
    {
        if (labels.Rank != 1)
        {
            return $"{labelsName} has {labels.Rank} dimensions; labels have 1";
        }

        if (images.Count != labels.Count)
        {
            return $"{imagesName} holds {images.Count} images but {labelsName} holds {labels.Count} labels";
        }

        byte[] values = labels.Data;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] >= classCount)
            {
                return LabelProblem(labelsName, values[i], i, classCount);
            }
        }

        return null;
    }

    private static Dataset<T> Build(IdxArray images, IdxArray labels, int classCount, PixelScaling scaling)
    {
        ElementType<T>.ThrowIfNotSupported();
        T divisor = scaling switch
        {
            PixelScaling.UnitInterval => T.CreateChecked(255),
            PixelScaling.Raw => T.One,
            _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, "Unknown pixel scaling."),
        };

        Span<T> table = stackalloc T[256];
        for (int b = 0; b < table.Length; b++)
        {
            table[b] = T.CreateChecked(b) / divisor;
        }

        var features = new Matrix<T>(images.Count, images.ItemLength);
        Span<T> destination = features.AsSpan();
        ReadOnlySpan<byte> source = images.Data;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }

        var classes = new int[labels.Count];
        for (int i = 0; i < classes.Length; i++)
        {
            classes[i] = labels.Data[i];
        }

        return new Dataset<T>(features, classes, classCount);
    }

    private Dataset<T> Take(int start, int count) =>
        new(Features.GetRows(start, count).Clone(), Labels.AsSpan(start, count).ToArray(), ClassCount);
}
