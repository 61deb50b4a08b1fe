using System.Globalization;
using System.Numerics;
using Backprop.Simd.Data;

namespace Backprop.Simd.Cli.Data;

/// <summary>Loads what a <see cref="DataRequest"/> names, with the library's readers.</summary>
internal static class DataLoader
{
    /// <summary>Fashion-MNIST's images are 28 x 28, as MNIST's.</summary>
    private const int FashionMnistSide = 28;

    /// <summary>Loads the training and test sets.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="request">The data asked for.</param>
    /// <param name="scaling">How pixel bytes become features.</param>
    /// <returns>The data, cut to the request's limit.</returns>
    /// <exception cref="FileNotFoundException">Files are missing; the message says where the tool looked.</exception>
    /// <exception cref="InvalidDataException">A file is malformed; the message names it.</exception>
    public static LoadedData<T> Load<T>(DataRequest request, PixelScaling scaling)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(request);
        LoadedData<T> data = request.Kind switch
        {
            DatasetKind.Mnist10k => LoadEmbedded<T>(scaling),
            DatasetKind.FashionMnist => LoadFashion<T>(request.Directory, scaling),
            _ => LoadDirectory<T>(request.Directory!, scaling),
        };
        return request.Limit == 0 ? data : data with
        {
            Train = Take(data.Train, request.Limit),
            Test = data.Test is null ? null : Take(data.Test, request.Limit),
        };
    }

    /// <summary>One line describing the sizes, for example "9,500 training and 500 test samples".</summary>
    public static string DescribeSizes<T>(LoadedData<T> data)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        string.Create(CultureInfo.InvariantCulture, $"{data.Train.Count:N0} training and {(data.Test is null ? "no" : data.Test.Count.ToString("N0", CultureInfo.InvariantCulture))} test samples");

    private static LoadedData<T> LoadEmbedded<T>(PixelScaling scaling)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (Dataset<T> test, Dataset<T> train) = EmbeddedDigits.LoadSplit<T>(scaling);
        return new LoadedData<T>(train, test, "mnist10k (embedded MNIST digits, shuffled with seed 42, first 500 held out)", EmbeddedDigits.ClassNames, EmbeddedDigits.Side, EmbeddedDigits.Side);
    }

    private static LoadedData<T> LoadFashion<T>(string? directory, PixelScaling scaling)
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
            FashionMnist.LoadTrain<T>(location, scaling),
            FashionMnist.LoadTest<T>(location, scaling),
            $"fashion-mnist in {location.Directory}",
            FashionMnist.ClassNames,
            FashionMnistSide,
            FashionMnistSide);
    }

    private static LoadedData<T> LoadDirectory<T>(string directory, PixelScaling scaling)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (string trainImages, string trainLabels, (string Images, string Labels)? test) = IdxDirectory.Find(directory);
        IdxArray images = RequirePixels(IdxReader.ReadImages(trainImages), trainImages);
        IdxArray labels = IdxReader.ReadLabels(trainLabels);
        IdxArray? testImages = test is null ? null : RequirePixels(IdxReader.ReadImages(test.Value.Images), test.Value.Images);
        IdxArray? testLabels = test is null ? null : IdxReader.ReadLabels(test.Value.Labels);

        // The classes are the labels seen, 0 .. the largest in either set (at least two).
        int classes = Math.Max(2, Math.Max(MaxLabel(labels), testLabels is null ? 0 : MaxLabel(testLabels)) + 1);
        Dataset<T> train = FromFiles<T>(images, labels, classes, scaling, trainImages, trainLabels);
        Dataset<T>? testSet = test is null ? null : FromFiles<T>(testImages!, testLabels!, classes, scaling, test.Value.Images, test.Value.Labels);
        if (testImages is not null && testImages.ItemLength != images.ItemLength)
        {
            throw new InvalidDataException($"The test images '{test!.Value.Images}' have {testImages.ItemLength} pixels each but the training images '{trainImages}' have {images.ItemLength}.");
        }

        // ReadImages accepts only [count x rows x columns] arrays.
        (int rows, int columns) = (images.Dimensions[1], images.Dimensions[2]);
        string[] names = [.. Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture))];
        return new LoadedData<T>(train, testSet, $"IDX files in {Path.GetFullPath(directory)}", names, rows, columns);
    }

    /// <summary>A valid IDX file may declare images of 0 rows or columns; they have no features to learn or predict from.</summary>
    private static IdxArray RequirePixels(IdxArray images, string path) => images.ItemLength > 0
        ? images
        : throw new InvalidDataException($"'{path}' declares images of {images.Dimensions[1]}x{images.Dimensions[2]} pixels (its header's dimensions at offsets 8 and 12): they have no pixels.");

    private static Dataset<T> FromFiles<T>(IdxArray images, IdxArray labels, int classes, PixelScaling scaling, string imagesPath, string labelsPath)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            return Dataset<T>.FromIdx(images, labels, classes, scaling);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{imagesPath}' and '{labelsPath}' do not form a data set: {e.Message}", e);
        }
    }

    private static int MaxLabel(IdxArray labels) => labels.Data.Length == 0 ? 0 : labels.Data.Max();

    private static Dataset<T> Take<T>(Dataset<T> data, int limit)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        limit >= data.Count ? data : data.Split(limit).HeldOut;
}
