using Backprop.Simd.Data;
using Backprop.Simd.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Simd.Tests.Data;

/// <summary>Shuffle, split, one-hot and IDX pairing of <see cref="Dataset{T}"/>.</summary>
[Trait("Category", "Data")]
public sealed class DatasetTests
{
    /// <summary>A data set whose every feature encodes its sample: row i holds 1000 * label + i in each column.</summary>
    private static Dataset<double> Tagged(int count, int features, int classes)
    {
        var matrix = new Matrix<double>(count, features);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (i * 7) % classes;
            matrix.Row(i).Fill((1000.0 * labels[i]) + i);
        }

        return new Dataset<double>(matrix, labels, classes);
    }

    [Property(MaxTest = 50)]
    public Property Shuffle_keeps_rows_and_labels_together() =>
        Prop.ForAll(
            (from count in Gen.Choose(0, 200)
             from features in Gen.Choose(1, 9)
             from seed in Gen.Choose(0, int.MaxValue)
             select (count, features, (ulong)seed)).ToArbitrary(),
            c =>
            {
                Dataset<double> data = Tagged(c.count, c.features, 10);
                data.Shuffle(c.Item3);
                var seen = new HashSet<int>();
                for (int i = 0; i < data.Count; i++)
                {
                    double tag = data.Features[i, 0];
                    int original = (int)(tag % 1000.0);
                    Assert.Equal((1000.0 * data.Labels[i]) + original, tag);
                    Assert.All(data.Features.Row(i).ToArray(), v => Assert.Equal(tag, v));
                    Assert.True(seen.Add(original));
                }

                Assert.Equal(c.count, seen.Count);
            });

    [Fact]
    public void Same_seed_gives_the_same_order_and_matches_seeded_random_shuffle()
    {
        Dataset<double> a = Tagged(500, 3, 10);
        Dataset<double> b = Tagged(500, 3, 10);
        Dataset<double> c = Tagged(500, 3, 10);
        a.Shuffle(42);
        b.Shuffle(42);
        c.Shuffle(43);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Features.AsSpan().ToArray(), b.Features.AsSpan().ToArray());
        Assert.NotEqual(a.Features.AsSpan().ToArray(), c.Features.AsSpan().ToArray());

        // The permutation is SeededRandom's Fisher-Yates on the indices.
        int[] indices = [.. Enumerable.Range(0, 500)];
        new SeededRandom(42).Shuffle<int>(indices);
        Assert.Equal(indices, Enumerable.Range(0, 500).Select(i => (int)(a.Features[i, 0] % 1000.0)));
        Assert.NotEqual(Enumerable.Range(0, 500), indices);
    }

    [Fact]
    public void Split_holds_out_the_first_samples_and_returns_the_remaining_ones_as_independent_copies()
    {
        Dataset<double> data = Tagged(20, 4, 5);
        data.Shuffle(42);
        DatasetSplit<double> split = data.Split(heldOutCount: 7);
        Dataset<double> first = split.HeldOut, rest = split.Remaining;

        Assert.Equal(7, first.Count);
        Assert.Equal(13, rest.Count);
        Assert.Equal(5, first.ClassCount);
        Assert.Equal(data.Labels[..7], first.Labels);
        Assert.Equal(data.Labels[7..], rest.Labels);
        Assert.Equal(data.Features.Row(7).ToArray(), rest.Features.Row(0).ToArray());

        // Copies: changing a part leaves the whole alone.
        double before = data.Features[0, 0];
        first.Features[0, 0] = -1;
        first.Shuffle(1);
        Assert.Equal(before, data.Features[0, 0]);

        Assert.Equal(0, data.Split(0).HeldOut.Count);
        Assert.Equal(0, data.Split(20).Remaining.Count);
        Assert.Equal(20, data.Split(0).Remaining.Count);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(21));
        Assert.Equal("heldOutCount", tooMany.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(-1));
    }

    [Fact]
    public void Counting_classes_names_a_label_edited_out_of_range()
    {
        var data = new Dataset<float>(new Matrix<float>(3, 2), [0, 1, 0], 2);
        Assert.Equal([2, 1], data.CountPerClass());
        data.Labels[2] = 99;
        var ex = Assert.Throws<InvalidOperationException>(data.CountPerClass);
        Assert.Equal("Label 99 at index 2 is outside [0, 2).", ex.Message);
    }

    [Fact]
    public void One_hot_is_correct()
    {
        Matrix<float> encoded = OneHot.Encode<float>([2, 0, 1, 2], 3);
        Assert.Equal(new float[,] { { 0, 0, 1 }, { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, encoded.ToArray());

        var destination = new Matrix<double>(2, 4);
        destination.Fill(double.NaN);
        OneHot.Encode<double>([3, 1], destination);
        Assert.Equal(new double[,] { { 0, 0, 0, 1 }, { 0, 1, 0, 0 } }, destination.ToArray());

        Assert.Equal(Tagged(6, 1, 4).OneHotLabels().ToArray(), OneHot.Encode<double>(Tagged(6, 1, 4).Labels, 4).ToArray());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void One_hot_rejects_a_label_out_of_range_naming_index_and_value(int label)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode<float>([0, 2, label], 3));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains($"Label {label} at index 2 is outside [0, 3)", e.Message, StringComparison.Ordinal);

        var destination = new Matrix<float>(3, 3);
        destination.Fill(5);
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode<float>([0, 2, label], destination));
        Assert.All(destination.AsSpan().ToArray(), v => Assert.Equal(5f, v));
    }

    [Fact]
    public void Dataset_constructor_checks_labels()
    {
        var features = new Matrix<float>(3, 2);
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset<float>(features, [0, 9, 1], 5));
        Assert.Contains("Label 9 at index 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Dataset<float>(features, [0, 1], 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset<float>(features, [0, 0, 0], 0));
    }

    [Fact]
    public void Loading_scales_pixels_and_checks_the_pair()
    {
        byte[] images = DataTestFiles.Encode([3, 1, 2], [0, 255, 51, 102, 1, 254], IdxCompression.Gzip);
        byte[] labels = DataTestFiles.Encode([3], [4, 0, 9]);

        var unit = Dataset<float>.LoadIdx(new MemoryStream(images), new MemoryStream(labels), 10);
        Assert.Equal(new float[,] { { 0f, 1f }, { 0.2f, 0.4f }, { 1f / 255f, 254f / 255f } }, unit.Features.ToArray());
        Assert.Equal([4, 0, 9], unit.Labels);

        var raw = Dataset<double>.LoadIdx(new MemoryStream(images), new MemoryStream(labels), 10, PixelScaling.Raw);
        Assert.Equal(new double[,] { { 0, 255 }, { 51, 102 }, { 1, 254 } }, raw.Features.ToArray());

        InvalidDataException range = Assert.Throws<InvalidDataException>(
            () => Dataset<float>.LoadIdx(new MemoryStream(images), new MemoryStream(labels), 9));
        Assert.Contains("labels stream: label 9 at index 2 (byte offset 10 of the IDX content) is not below the class count 9", range.Message, StringComparison.Ordinal);

        byte[] fewer = DataTestFiles.Encode([2], [1, 2]);
        InvalidDataException count = Assert.Throws<InvalidDataException>(
            () => Dataset<float>.LoadIdx(new MemoryStream(images), new MemoryStream(fewer), 10));
        Assert.Contains("images stream holds 3 images but labels stream holds 2 labels", count.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => Dataset<float>.FromIdx(new IdxArray([3, 2], new byte[6]), new IdxArray([3, 1], new byte[3]), 10));
    }

    [Fact]
    public void Loading_files_names_them_in_errors()
    {
        string directory = DataTestFiles.CreateTemporaryDirectory();
        try
        {
            string images = Path.Combine(directory, "images.gz");
            string labels = Path.Combine(directory, "labels.gz");
            IdxWriter.Write(images, new IdxArray([2, 2, 2], new byte[8]));
            IdxWriter.Write(labels, new IdxArray([3], [0, 1, 2]));
            InvalidDataException e = Assert.Throws<InvalidDataException>(() => Dataset<float>.LoadIdx(images, labels, 10));
            Assert.Contains($"images file '{images}' holds 2 images but labels file '{labels}' holds 3 labels", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
