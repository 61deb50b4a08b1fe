using Backprop.Simd.Data;

namespace Backprop.Simd.Tests.Data;

/// <summary>
/// Reading with <see cref="IdxReadLimits"/>: the first items are kept, the rest is still checked; too large an item is
/// refused from the header; labels are checked against the classes in the whole file, kept or not.
/// </summary>
[Trait("Category", "Data")]
public sealed class IdxLimitTests
{
    private static readonly byte[] s_images = DataTestFiles.RandomBytes(10 * 2 * 3, 5);

    public static TheoryData<bool, bool> Encodings() => new() { { false, true }, { false, false }, { true, true }, { true, false } };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void The_first_items_are_kept_and_the_file_is_checked_to_its_end(bool gzip, bool seekable)
    {
        byte[] file = Encode([10, 2, 3], s_images, gzip);

        IdxArray kept = IdxReader.ReadImages(Open(file, seekable), "x", new IdxReadLimits { MaxCount = 3 });

        Assert.Equal([3, 2, 3], kept.Dimensions.ToArray());
        Assert.Equal(s_images[..18], kept.Data);
        Assert.Equal(s_images, IdxReader.ReadImages(Open(file, seekable), "x", new IdxReadLimits { MaxCount = 10 }).Data);
        Assert.Equal(s_images, IdxReader.ReadImages(Open(file, seekable), "x", new IdxReadLimits { MaxCount = 11 }).Data);
        Assert.Empty(IdxReader.ReadImages(Open(file, seekable), "x", new IdxReadLimits { MaxCount = 0 }).Data);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_file_damaged_past_the_limit_is_still_refused(bool gzip, bool seekable)
    {
        byte[] truncated = Encode([10, 2, 3], s_images, gzip, dropLast: 7);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Open(truncated, seekable), "x", new IdxReadLimits { MaxCount = 2 }));
        Assert.Contains("declared 10 x 2 x 3 = 60 bytes but", e.Message, StringComparison.Ordinal);
        Assert.Contains("53", e.Message, StringComparison.Ordinal);

        byte[] trailing = Encode([10, 2, 3], [.. s_images, 9], gzip);
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Open(trailing, seekable), "x", new IdxReadLimits { MaxCount = 2 }));
        Assert.Contains("trailing data", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Items_above_the_limit_are_refused_from_the_header_before_any_data_is_read(bool gzip, bool seekable)
    {
        // A header alone: had the data been read, the message would be about the missing bytes.
        byte[] header = DataTestFiles.Header(0x00000803, 1, 1000, 1000);
        byte[] file = gzip ? DataTestFiles.Gzip(header) : header;

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Open(file, seekable), "x", new IdxReadLimits { MaxItemLength = 65536 }));

        Assert.Contains("declared 1 x 1000 x 1000 = 1000000 bytes, items of 1000000 bytes each, more than the 65536 bytes allowed per item", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_header_and_the_label_counts_are_read_without_keeping_the_data()
    {
        string directory = DataTestFiles.CreateTemporaryDirectory();
        try
        {
            string header = Path.Combine(directory, "header-only.gz");
            File.WriteAllBytes(header, DataTestFiles.Gzip(DataTestFiles.Header(0x00000803, 5, 3, 4)));
            Assert.Equal([5, 3, 4], IdxReader.ReadDimensions(header));

            string labels = Path.Combine(directory, "labels.gz");
            File.WriteAllBytes(labels, Encode([6], [0, 2, 2, 200, 2, 0], gzip: true));
            long[] counts = IdxReader.CountLabels(labels);
            Assert.Equal(256, counts.Length);
            Assert.Equal((2L, 0L, 3L, 1L), (counts[0], counts[1], counts[2], counts[200]));
            Assert.Equal(6, counts.Sum());
            Assert.Throws<InvalidDataException>(() => IdxReader.CountLabels(header));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_label_outside_the_classes_is_refused_naming_its_index_even_past_the_limit()
    {
        byte[] images = Encode([6, 2, 3], DataTestFiles.RandomBytes(36, 1), gzip: true);
        byte[] labels = Encode([6], [0, 2, 1, 0, 1, 200], gzip: true);

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Dataset<float>.LoadIdx(new MemoryStream(images), new MemoryStream(labels), 3, limits: new IdxReadLimits { MaxCount = 2 }));

        Assert.Equal("labels stream: label 200 at index 5 (byte offset 13 of the IDX content) is not below the class count 3.", e.Message);
        Dataset<float> kept = Dataset<float>.LoadIdx(new MemoryStream(images), new MemoryStream(Encode([6], [0, 2, 1, 0, 1, 2], gzip: true)), 3, limits: new IdxReadLimits { MaxCount = 2 });
        Assert.Equal([0, 2], kept.Labels);
        Assert.Equal(6, kept.FeatureCount);
    }

    [Fact]
    public void Files_of_different_counts_are_refused_whatever_the_limit()
    {
        byte[] images = Encode([20, 2, 3], new byte[120], gzip: false);
        byte[] labels = Encode([21], new byte[21], gzip: false);

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Dataset<float>.LoadIdx(new MemoryStream(images), new MemoryStream(labels), 3, limits: new IdxReadLimits { MaxCount = 5 }));

        Assert.Equal("images stream holds 20 images but labels stream holds 21 labels.", e.Message);
    }

    [Fact]
    public void Limits_are_not_negative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdxReadLimits { MaxCount = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdxReadLimits { MaxItemLength = -1 });
        Assert.Equal(int.MaxValue, IdxReadLimits.None.MaxCount);
    }

    private static byte[] Encode(int[] dimensions, byte[] data, bool gzip, int dropLast = 0)
    {
        byte[] plain = [.. DataTestFiles.Header(0x00000800 | dimensions.Length, [.. dimensions.Select(d => (uint)d)]), .. data];
        plain = plain[..^dropLast];
        return gzip ? DataTestFiles.Gzip(plain) : plain;
    }

    private static Stream Open(byte[] file, bool seekable) =>
        seekable ? new MemoryStream(file, writable: false) : new NonSeekableStream(new MemoryStream(file, writable: false));
}
