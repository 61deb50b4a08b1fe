using System.Numerics;
using Backprop.Simd.Data;

namespace Backprop.Simd.Cli.Data;

/// <summary>
/// The 10,000 real MNIST digits of the repository's <c>data/</c> folder, embedded in the tool as resources, split as
/// the notebook splits MNIST: shuffled with seed 42, the first 500 held out as the test set.
/// </summary>
internal static class EmbeddedDigits
{
    /// <summary>The notebook's shuffling seed.</summary>
    public const ulong ShuffleSeed = 42;

    /// <summary>The notebook's hold-out: the first 500 shuffled digits.</summary>
    public const int TestCount = 500;

    /// <summary>The side of one digit image.</summary>
    public const int Side = 28;

    private const string ImagesResource = "mnist10k-images-idx3-ubyte.gz";
    private const string LabelsResource = "mnist10k-labels-idx1-ubyte.gz";

    /// <summary>The digits' class names, "0" to "9".</summary>
    public static IReadOnlyList<string> ClassNames { get; } = [.. Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Loads all 10,000 digits, shuffles them with seed 42 and splits off the first 500.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="scaling">How pixel bytes become features.</param>
    /// <returns>The 500 test digits and the 9,500 training digits.</returns>
    public static (Dataset<T> Test, Dataset<T> Train) LoadSplit<T>(PixelScaling scaling)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Dataset<T> all = LoadAll<T>(scaling);
        all.Shuffle(ShuffleSeed);
        DatasetSplit<T> split = all.Split(TestCount);
        return (split.HeldOut, split.Remaining);
    }

    /// <summary>Loads all 10,000 digits in the order of the files.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="scaling">How pixel bytes become features.</param>
    /// <returns>The digits.</returns>
    public static Dataset<T> LoadAll<T>(PixelScaling scaling)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using Stream images = Open(ImagesResource);
        using Stream labels = Open(LabelsResource);
        return Dataset<T>.LoadIdx(images, labels, classCount: 10, scaling);
    }

    private static Stream Open(string name) =>
        typeof(EmbeddedDigits).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The tool was built without its embedded resource '{name}'.");
}
