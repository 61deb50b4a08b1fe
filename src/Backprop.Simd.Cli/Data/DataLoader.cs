using System.Globalization;
using System.Numerics;
using Backprop.Simd.Data;

namespace Backprop.Simd.Cli.Data;

/// <summary>Loads what a <see cref="DataRequest"/> names, with the library's readers.</summary>
internal static class DataLoader
{
    /// <summary>
    /// The largest IDX image the tool reads: 65,536 pixels (256 x 256; MNIST's have 784), checked in the header before
    /// any pixel is read, so that neither the data nor a network's input layer grows with what a file declares.
    /// </summary>
    public const int MaxImagePixels = 1 << 16;

    /// <summary>Fashion-MNIST's images are 28 x 28, as MNIST's.</summary>
    private const int FashionMnistSide = 28;

    /// <summary>Loads the training and test sets.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="request">The data asked for.</param>
    /// <param name="scaling">How pixel bytes become features.</param>
    /// <returns>The data, cut to the request's limit as it is read: memory follows the samples kept, not the files.</returns>
    /// <exception cref="FileNotFoundException">Files are missing; the message says where the tool looked.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or a label is not one of the classes; the message names it.</exception>
    public static LoadedData<T> Load<T>(DataRequest request, PixelScaling scaling)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(request);
        var limits = new IdxReadLimits { MaxCount = request.Limit == 0 ? int.MaxValue : request.Limit, MaxItemLength = MaxImagePixels };
        return request.Kind switch
        {
            DatasetKind.Mnist10k => LoadEmbedded<T>(scaling, request.Limit),
            DatasetKind.FashionMnist => LoadFashion<T>(request.Directory, scaling, limits),
            _ => LoadDirectory<T>(request.Directory!, request.Classes, scaling, limits),
        };
    }

    /// <summary>One line describing the sizes, for example "9,500 training and 500 test samples".</summary>
    public static string DescribeSizes<T>(LoadedData<T> data)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        string.Create(CultureInfo.InvariantCulture, $"{data.Train.Count:N0} training and {(data.Test is null ? "no" : data.Test.Count.ToString("N0", CultureInfo.InvariantCulture))} test samples");

    /// <summary>The embedded digits are shuffled before they are split, so the limit applies to the split sets.</summary>
    private static LoadedData<T> LoadEmbedded<T>(PixelScaling scaling, int limit)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (Dataset<T> test, Dataset<T> train) = EmbeddedDigits.LoadSplit<T>(scaling);
        return new LoadedData<T>(Take(train, limit), Take(test, limit), "mnist10k (embedded MNIST digits, shuffled with seed 42, first 500 held out)", EmbeddedDigits.ClassNames, EmbeddedDigits.Side, EmbeddedDigits.Side);
    }

    private static LoadedData<T> LoadFashion<T>(string? directory, PixelScaling scaling, IdxReadLimits limits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DatasetLocation location;
        try
        {
            location = FashionMnist.Locate(directory);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"{e.Message} With this tool: backprop data fetch fashion-mnist.", e);
        }

        return new LoadedData<T>(
            FashionMnist.LoadTrain<T>(location, scaling, limits),
            FashionMnist.LoadTest<T>(location, scaling, limits),
            $"fashion-mnist in {location.Directory}",
            FashionMnist.ClassNames,
            FashionMnistSide,
            FashionMnistSide);
    }

    private static LoadedData<T> LoadDirectory<T>(string directory, int declaredClasses, PixelScaling scaling, IdxReadLimits limits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (string trainImages, string trainLabels, (string Images, string Labels)? test) = IdxDirectory.Find(directory);
        (int classes, string? note) = declaredClasses > 0 ? (declaredClasses, null) : InferClasses(trainLabels, test?.Labels);
        Dataset<T> LoadPair(string images, string labels)
        {
            try
            {
                return Dataset<T>.LoadIdx(images, labels, classes, scaling, limits);
            }
            catch (InvalidDataException e) when (note is not null)
            {
                throw new InvalidDataException($"{e.Message} ({note})", e);
            }
        }

        // Loading checks that each file is [count x rows x columns]; the header gives the rows and columns.
        Dataset<T> train = LoadPair(trainImages, trainLabels);
        int[] shape = RequirePixels(trainImages);
        Dataset<T>? testSet = null;
        if (test is not null)
        {
            testSet = LoadPair(test.Value.Images, test.Value.Labels);
            if (testSet.FeatureCount != train.FeatureCount)
            {
                throw new InvalidDataException($"The test images '{test.Value.Images}' have {testSet.FeatureCount} pixels each but the training images '{trainImages}' have {train.FeatureCount}.");
            }
        }

        string[] names = [.. Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture))];
        return new LoadedData<T>(train, testSet, $"IDX files in {Path.GetFullPath(directory)}", names, shape[1], shape[2]);
    }

    /// <summary>The header's dimensions of an image file; a valid IDX file may declare images of 0 rows or columns, which have no features to learn or predict from.</summary>
    private static int[] RequirePixels(string path)
    {
        int[] shape = IdxReader.ReadDimensions(path);
        return (long)shape[1] * shape[2] > 0
            ? shape
            : throw new InvalidDataException($"'{path}' declares images of {shape[1]}x{shape[2]} pixels (its header's dimensions at offsets 8 and 12): they have no pixels.");
    }

    /// <summary>
    /// The classes of an IDX directory that declares none: 0 to the largest label of its training and test files, each
    /// of which must occur (at least two). A label above a class that never occurs is taken for a corrupt one (an IDX
    /// label of 200 would otherwise make a 201-class network): the classes stop below the gap, and the loader refuses
    /// the first label beyond them, naming its index; the note says so and how to declare more.
    /// </summary>
    private static (int Classes, string? Note) InferClasses(string trainLabels, string? testLabels)
    {
        long[] counts = IdxReader.CountLabels(trainLabels);
        if (testLabels is not null)
        {
            long[] test = IdxReader.CountLabels(testLabels);
            for (int v = 0; v < counts.Length; v++)
            {
                counts[v] += test[v];
            }
        }

        int largest = Array.FindLastIndex(counts, c => c > 0);
        int missing = Array.IndexOf(counts, 0L);
        if (missing < 0 || missing > largest)
        {
            return (Math.Max(2, largest + 1), null);
        }

        return (Math.Max(1, missing), string.Create(CultureInfo.InvariantCulture, $"the classes of an IDX directory are 0 to its largest label, {largest}, and each must occur; label {missing} never does, so the labels from {missing} up are taken for corrupt: if the data set has {largest + 1} classes, say so with --classes {largest + 1}"));
    }

    private static Dataset<T> Take<T>(Dataset<T> data, int limit)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        limit == 0 || limit >= data.Count ? data : data.Split(limit).HeldOut;
}
