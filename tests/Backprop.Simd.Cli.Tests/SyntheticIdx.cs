using Backprop.Simd.Data;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Cli.Tests;

/// <summary>
/// Small IDX data sets written with the library's <see cref="IdxWriter"/>: 8x8 images of three classes, each class a
/// bright bar in its own place (rows 0-1, rows 3-4 or rows 6-7) over noise, so a network separates them in a few epochs.
/// </summary>
internal static class SyntheticIdx
{
    public const int Side = 8;
    public const int Classes = 3;

    /// <summary>Writes train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz and, with test samples, the t10k pair.</summary>
    public static void Write(string directory, int trainCount, int testCount, ulong seed = 1)
    {
        var random = new SeededRandom(seed);
        WritePair(directory, "train", trainCount, random);
        if (testCount > 0)
        {
            WritePair(directory, "t10k", testCount, random);
        }
    }

    private static void WritePair(string directory, string prefix, int count, SeededRandom random)
    {
        var images = new byte[count * Side * Side];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = random.NextInt32(Classes);
            labels[i] = (byte)label;
            Span<byte> image = images.AsSpan(i * Side * Side, Side * Side);
            for (int p = 0; p < image.Length; p++)
            {
                int row = p / Side;
                bool bar = row >= 3 * label && row < (3 * label) + 2;
                image[p] = (byte)((bar ? 160 : 0) + random.NextInt32(90));
            }
        }

        IdxWriter.Write(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), new IdxArray([count, Side, Side], images), IdxCompression.Gzip);
        IdxWriter.Write(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), new IdxArray([count], labels), IdxCompression.Gzip);
    }
}
