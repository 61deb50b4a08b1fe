using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Backprop.Simd.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT licence): 70,000 grey 28x28 images of clothing in 10 classes, 60,000 for
/// training and 10,000 for testing, in the MNIST file format.
/// </summary>
/// <remarks>
/// The files have MNIST's names and format; only the hashes in <see cref="Manifest"/> tell the two apart.
/// The hashes in <see cref="Manifest"/> are those of the decompressed files, which stay the same when a
/// distribution recompresses them (Debian's dataset-fashion-mnist does).
/// </remarks>
public static class FashionMnist
{
    /// <summary>The data set's name and folder name.</summary>
    public const string Name = "fashion-mnist";

    /// <summary>The training images, [60000 x 28 x 28].</summary>
    public const string TrainImages = Mnist.TrainImages;

    /// <summary>The training labels, [60000].</summary>
    public const string TrainLabels = Mnist.TrainLabels;

    /// <summary>The test images, [10000 x 28 x 28].</summary>
    public const string TestImages = Mnist.TestImages;

    /// <summary>The test labels, [10000].</summary>
    public const string TestLabels = Mnist.TestLabels;

    /// <summary>The number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Where the official files are published.</summary>
    public static Uri DefaultBaseAddress { get; } = new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    /// <summary>The class names, by label: 0 T-shirt/top, 1 Trouser, ... 9 Ankle boot.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The four files with the lengths and SHA-256 hashes of their decompressed content.</summary>
    public static DatasetManifest Manifest { get; } = new(
        Name,
        [
            new DatasetFile(TrainImages, 47_040_016, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
            new DatasetFile(TrainLabels, 60_008, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
            new DatasetFile(TestImages, 7_840_016, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
            new DatasetFile(TestLabels, 10_008, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
        ]);

    /// <inheritdoc cref="Mnist.Locate(string?)"/>
    public static DatasetLocation Locate(string? directory = null) => new DatasetLocator(Manifest) { ExplicitDirectory = directory }.Locate();

    /// <inheritdoc cref="Mnist.TryLocate(string?, out DatasetLocation?)"/>
    public static bool TryLocate(string? directory, [NotNullWhen(true)] out DatasetLocation? location) =>
        new DatasetLocator(Manifest) { ExplicitDirectory = directory }.TryLocate(out location);

    /// <inheritdoc cref="Mnist.LoadTrain{T}(DatasetLocation, PixelScaling, IdxReadLimits?)"/>
    public static Dataset<T> LoadTrain<T>(DatasetLocation location, PixelScaling scaling = PixelScaling.UnitInterval, IdxReadLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (location ?? throw new ArgumentNullException(nameof(location))).LoadPair<T>(TrainImages, TrainLabels, ClassCount, scaling, limits);

    /// <inheritdoc cref="Mnist.LoadTest{T}(DatasetLocation, PixelScaling, IdxReadLimits?)"/>
    public static Dataset<T> LoadTest<T>(DatasetLocation location, PixelScaling scaling = PixelScaling.UnitInterval, IdxReadLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (location ?? throw new ArgumentNullException(nameof(location))).LoadPair<T>(TestImages, TestLabels, ClassCount, scaling, limits);
}
