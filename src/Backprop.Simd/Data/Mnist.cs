using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Backprop.Simd.Data;

/// <summary>
/// MNIST (Yann LeCun, Corinna Cortes, Christopher J.C. Burges; CC BY-SA 3.0): 70,000 grey 28x28 images of handwritten
/// digits, 60,000 for training and 10,000 for testing.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="LoadAsync{T}"/> is the one-line start: it finds the files (see <see cref="DatasetLocator"/>), or
/// downloads them into the cache from <see cref="Mirrors"/>, checks every file against <see cref="Manifest"/> and
/// returns both sets:
/// <code>
/// (Dataset&lt;float&gt; train, Dataset&lt;float&gt; test) = await Mnist.LoadAsync&lt;float&gt;();
/// </code>
/// </para>
/// <para>
/// The hashes are those of the decompressed files, which stay the same when a mirror recompresses them. Fashion-MNIST
/// uses the same file names, so only the hashes tell the two apart.
/// </para>
/// </remarks>
public static class Mnist
{
    /// <summary>The data set's name and folder name.</summary>
    public const string Name = "mnist";

    /// <summary>The training images, [60000 x 28 x 28].</summary>
    public const string TrainImages = "train-images-idx3-ubyte";

    /// <summary>The training labels, [60000].</summary>
    public const string TrainLabels = "train-labels-idx1-ubyte";

    /// <summary>The test images, [10000 x 28 x 28].</summary>
    public const string TestImages = "t10k-images-idx3-ubyte";

    /// <summary>The test labels, [10000].</summary>
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>The number of classes, the digits 0 to 9.</summary>
    public const int ClassCount = 10;

    /// <summary>The side of an image in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>
    /// Where the files are published, tried in this order (as torchvision does): the PyTorch project's copy on
    /// Amazon S3, then the original site, which often refuses downloads.
    /// </summary>
    public static IReadOnlyList<Uri> Mirrors { get; } =
    [
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new("http://yann.lecun.com/exdb/mnist/"),
    ];

    /// <summary>The four files with the lengths and SHA-256 hashes of their decompressed content.</summary>
    public static DatasetManifest Manifest { get; } = new(
        Name,
        [
            new DatasetFile(TrainImages, 47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            new DatasetFile(TrainLabels, 60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            new DatasetFile(TestImages, 7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            new DatasetFile(TestLabels, 10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
        ]);

    /// <summary>Finds the files (see <see cref="DatasetLocator"/> for the places searched); their content is not checked.</summary>
    /// <param name="directory">A directory given by the user, searched alone; null to search the default places.</param>
    /// <returns>Where the files are.</returns>
    /// <exception cref="FileNotFoundException">They were not found; the message lists where the locator looked.</exception>
    public static DatasetLocation Locate(string? directory = null) => new DatasetLocator(Manifest) { ExplicitDirectory = directory }.Locate();

    /// <summary>Finds the files (see <see cref="DatasetLocator"/> for the places searched); their content is not checked.</summary>
    /// <param name="directory">A directory given by the user, searched alone; null to search the default places.</param>
    /// <param name="location">Where the files are, when found.</param>
    /// <returns>Whether they were found.</returns>
    public static bool TryLocate(string? directory, [NotNullWhen(true)] out DatasetLocation? location) =>
        new DatasetLocator(Manifest) { ExplicitDirectory = directory }.TryLocate(out location);

    /// <summary>Loads the 60,000 training images and labels.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="location">Where the files are.</param>
    /// <param name="scaling">How bytes become features.</param>
    /// <param name="limits">How many samples to keep (the first ones); null keeps all. The files are checked in full either way.</param>
    /// <returns>The training set: 784 features per image.</returns>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static Dataset<T> LoadTrain<T>(DatasetLocation location, PixelScaling scaling = PixelScaling.UnitInterval, IdxReadLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (location ?? throw new ArgumentNullException(nameof(location))).LoadPair<T>(TrainImages, TrainLabels, ClassCount, scaling, limits);

    /// <summary>Loads the 10,000 test images and labels.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="location">Where the files are.</param>
    /// <param name="scaling">How bytes become features.</param>
    /// <param name="limits">How many samples to keep (the first ones); null keeps all. The files are checked in full either way.</param>
    /// <returns>The test set: 784 features per image.</returns>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static Dataset<T> LoadTest<T>(DatasetLocation location, PixelScaling scaling = PixelScaling.UnitInterval, IdxReadLimits? limits = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (location ?? throw new ArgumentNullException(nameof(location))).LoadPair<T>(TestImages, TestLabels, ClassCount, scaling, limits);

    /// <summary>
    /// Finds the files and checks their hashes, or downloads them from <see cref="Mirrors"/> into the cache (see
    /// <see cref="DatasetFetcher.LocateOrFetchAsync"/>).
    /// </summary>
    /// <param name="directory">
    /// A directory to look in and, when the files are not there, to download into; null to search the default places
    /// and download into <see cref="DatasetFetcher.GetDefaultCacheDirectory"/>.
    /// </param>
    /// <param name="progress">Receives the bytes received per file, if there is a download; optional.</param>
    /// <param name="cancellationToken">Cancels the downloads; a cancelled download leaves nothing behind.</param>
    /// <returns>Where the verified files are.</returns>
    /// <exception cref="InvalidDataException">A file that was found, or every mirror's copy, does not match its hash; the message names it.</exception>
    /// <exception cref="HttpRequestException">No mirror could deliver a missing file; the message names each address tried.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public static async Task<DatasetLocation> LocateOrDownloadAsync(string? directory = null, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var fetcher = new DatasetFetcher();
        return await fetcher.LocateOrFetchAsync(Manifest, Mirrors, directory, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads the training and test sets, downloading the files into the cache with verified hashes if they are not on
    /// the machine, as torchvision's and keras.datasets' MNIST loaders do.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="directory">
    /// A directory to look in and, when the files are not there, to download into; null to search the default places
    /// (<c>$BACKPROP_DATA</c>, <c>/usr/share/datasets/mnist</c>, the cache) and download into the cache.
    /// </param>
    /// <param name="scaling">How bytes become features; by default [0, 1].</param>
    /// <param name="progress">Receives the bytes received per file, if there is a download; optional.</param>
    /// <param name="cancellationToken">Cancels the downloads.</param>
    /// <returns>The 60,000 training and the 10,000 test images, 784 features each.</returns>
    /// <exception cref="InvalidDataException">A file that was found, or every mirror's copy, does not match its hash; the message names it.</exception>
    /// <exception cref="HttpRequestException">No mirror could deliver a missing file; the message names each address tried.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public static async Task<(Dataset<T> Train, Dataset<T> Test)> LoadAsync<T>(
        string? directory = null,
        PixelScaling scaling = PixelScaling.UnitInterval,
        IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DatasetLocation location = await LocateOrDownloadAsync(directory, progress, cancellationToken).ConfigureAwait(false);
        return (LoadTrain<T>(location, scaling), LoadTest<T>(location, scaling));
    }
}
