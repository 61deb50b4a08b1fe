using Backprop.Simd.Data;

namespace Backprop.Simd.Tests.Data;

/// <summary>The IDX reader on the committed MNIST digits and on malformed files.</summary>
[Trait("Category", "Data")]
public sealed class IdxReaderTests
{
    private static readonly int[] s_mnistClassCounts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

    [Fact]
    public void Reads_the_committed_mnist_digits()
    {
        IdxArray images = IdxReader.ReadImages(DataTestFiles.MnistImages);
        IdxArray labels = IdxReader.ReadLabels(DataTestFiles.MnistLabels);

        Assert.Equal([10_000, 28, 28], images.Dimensions.ToArray());
        Assert.Equal(784, images.ItemLength);
        Assert.Equal(10_000 * 784, images.Data.Length);
        Assert.Equal([10_000], labels.Dimensions.ToArray());
        var counts = new int[10];
        foreach (byte label in labels.Data)
        {
            Assert.InRange(label, 0, 9);
            counts[label]++;
        }

        Assert.Equal(s_mnistClassCounts, counts);

        // Real digits: ink in the middle, a blank border, and both extremes present.
        Assert.Contains(images.Data, b => b == 255);
        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal(0, images.GetItem(i)[0]));
    }

    [Fact]
    public void Loads_the_committed_mnist_digits_as_a_dataset()
    {
        var raw = Dataset<float>.LoadIdx(DataTestFiles.MnistImages, DataTestFiles.MnistLabels, classCount: 10, PixelScaling.Raw);
        var unit = Dataset<double>.LoadIdx(DataTestFiles.MnistImages, DataTestFiles.MnistLabels, classCount: 10);

        Assert.Equal(10_000, raw.Count);
        Assert.Equal(784, raw.FeatureCount);
        Assert.Equal(s_mnistClassCounts, raw.CountPerClass());
        Assert.Equal(255f, raw.Features.AsSpan().ToArray().Max());
        Assert.Equal(1.0, unit.Features.AsSpan().ToArray().Max());
        Assert.Equal(0.0, unit.Features.AsSpan().ToArray().Min());
        Assert.Equal(raw.Features[17, 400] / 255.0, unit.Features[17, 400], 1e-7);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_plain_gzip_and_unseekable_streams_alike(bool seekable)
    {
        byte[] data = DataTestFiles.RandomBytes(2 * 3 * 5, 1);
        foreach (IdxCompression compression in (IdxCompression[])[IdxCompression.None, IdxCompression.Gzip])
        {
            byte[] file = DataTestFiles.Encode([2, 3, 5], data, compression);
            Stream stream = seekable ? new MemoryStream(file) : new NonSeekableStream(new MemoryStream(file));
            IdxArray array = IdxReader.Read(stream);
            Assert.Equal([2, 3, 5], array.Dimensions.ToArray());
            Assert.Equal(data, array.Data);
            Assert.Equal(data.AsSpan(15, 15).ToArray(), array.GetItem(1).ToArray());
        }
    }

    [Fact]
    public void Empty_file_is_rejected() =>
        AssertInvalid([], "empty");

    [Fact]
    public void Wrong_magic_is_rejected()
    {
        byte[] file = DataTestFiles.Encode([2, 2], [1, 2, 3, 4]);
        file[1] = 0x42;
        AssertInvalid(file, "bad magic number 0x00420802 at offset 0");
    }

    [Fact]
    public void Text_file_is_rejected() =>
        AssertInvalid("hello, world\n"u8.ToArray(), "bad magic number 0x68656C6C");

    [Theory]
    [InlineData(0x0D, "0x0D (32-bit float)")]
    [InlineData(0x0C, "0x0C (32-bit integer)")]
    [InlineData(0x0E, "0x0E (64-bit float)")]
    [InlineData(0x42, "0x42 (not an IDX type code)")]
    public void Other_type_codes_are_rejected(byte code, string expected)
    {
        byte[] file = DataTestFiles.Encode([4], [1, 2, 3, 4]);
        file[2] = code;
        AssertInvalid(file, $"element type code {expected} at offset 2");
        AssertInvalid(file, "only 0x08 (unsigned byte)");
    }

    [Fact]
    public void Zero_dimensions_are_rejected() =>
        AssertInvalid(DataTestFiles.Header(0x00000800), "declares 0 dimensions at offset 3");

    [Fact]
    public void Too_many_dimensions_are_rejected() =>
        AssertInvalid(DataTestFiles.Header(0x00000811, Enumerable.Repeat(1u, 17).ToArray()), "declares 17 dimensions at offset 3 (magic 0x00000811); at most 16 are supported");

    [Theory]
    [InlineData(1, "inside the 4-byte magic number")]
    [InlineData(3, "inside the 4-byte magic number")]
    [InlineData(4, "3 dimensions need 16 header bytes but the file ends at offset 4")]
    [InlineData(13, "3 dimensions need 16 header bytes but the file ends at offset 13")]
    public void Truncated_header_is_rejected(int length, string expected)
    {
        byte[] file = DataTestFiles.Encode([2, 2, 2], new byte[8]);
        AssertInvalid(file[..length], "truncated");
        AssertInvalid(file[..length], expected);
    }

    [Fact]
    public void Truncated_data_is_rejected()
    {
        byte[] file = DataTestFiles.Encode([60, 28, 28], new byte[60 * 28 * 28]);
        AssertInvalid(file[..(16 + 1234)], "declared 60 x 28 x 28 = 47040 bytes but only 1234 follow the header at offset 16", seekableOnly: true);
        AssertInvalid(file[..(16 + 1234)], "declared 60 x 28 x 28 = 47040 bytes but only 1234 follow the header at offset 16; the data ends at offset 1250", unseekableOnly: true);
    }

    [Fact]
    public void Trailing_data_is_rejected()
    {
        byte[] file = [.. DataTestFiles.Encode([3], [7, 8, 9]), 0xAA, 0xBB];
        AssertInvalid(file, "2 bytes of trailing data start at offset 11", seekableOnly: true);
        AssertInvalid(file, "which end at offset 11, but trailing data follows", unseekableOnly: true);
    }

    [Fact]
    public void Declared_size_overflow_is_rejected()
    {
        byte[] file = [.. DataTestFiles.Header(0x00000803, 65535, 65535, 65535), 1, 2, 3];
        AssertInvalid(file, "65535 x 65535 x 65535 = 281462092005375 bytes exceed the limit of");
    }

    [Fact]
    public void Item_size_overflow_is_rejected_even_with_no_items()
    {
        byte[] file = DataTestFiles.Header(0x00000803, 0, 65535, 65535 * 2);
        AssertInvalid(file, "0 x 65535 x 131070 = 0 bytes, but each item alone exceeds the limit of");
    }

    [Fact]
    public void Size_above_int32_is_rejected() =>
        AssertInvalid(DataTestFiles.Header(0x00000801, 0x80000000), "dimension 0 has size 2147483648 (0x80000000) at offset 4");

    [Fact]
    public void Lying_sizes_in_gzip_are_rejected_with_decompressed_offsets()
    {
        byte[] tooShort = DataTestFiles.Gzip([.. DataTestFiles.Header(0x00000802, 10, 10), .. new byte[50]]);
        AssertInvalid(tooShort, "(gzip): declared 10 x 10 = 100 bytes but only 50 follow the header at decompressed offset 12; the data ends at decompressed offset 62");

        byte[] tooLong = DataTestFiles.Gzip([.. DataTestFiles.Header(0x00000802, 10, 10), .. new byte[150]]);
        AssertInvalid(tooLong, "(gzip): declared 10 x 10 = 100 bytes, which end at decompressed offset 112, but trailing data follows");
    }

    [Fact]
    public void Garbage_gzip_stream_is_rejected()
    {
        byte[] garbage = [0x1F, 0x8B, .. DataTestFiles.RandomBytes(500, 7)];
        AssertInvalid(garbage, "gzip");
    }

    [Fact]
    public void Corrupt_deflate_data_is_rejected()
    {
        byte[] file = DataTestFiles.Encode([100, 10], DataTestFiles.RandomBytes(1000, 3), IdxCompression.Gzip);
        for (int i = 20; i < file.Length - 8; i += 37)
        {
            file[i] ^= 0x5A;
        }

        AssertInvalid(file, "(gzip)");
    }

    [Fact]
    public void Gzip_truncated_in_the_data_is_rejected()
    {
        byte[] file = DataTestFiles.Encode([100, 10], DataTestFiles.RandomBytes(1000, 3), IdxCompression.Gzip);
        AssertInvalid(file[..(file.Length / 2)], "(gzip)");
    }

    [Fact]
    public void Typed_readers_check_the_rank()
    {
        byte[] labels = DataTestFiles.Encode([4], [1, 2, 3, 4]);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(labels), "x.idx"));
        Assert.Contains("images stream 'x.idx': expected 3 dimensions (count x rows x columns, magic 0x00000803) but the header declares 1 (magic 0x00000801)", e.Message, StringComparison.Ordinal);

        byte[] images = DataTestFiles.Encode([1, 2, 2], [1, 2, 3, 4]);
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(new MemoryStream(images)));
        Assert.Contains("expected 1 dimension (count, magic 0x00000801) but the header declares 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_errors_name_the_path()
    {
        string directory = DataTestFiles.CreateTemporaryDirectory();
        try
        {
            string path = Path.Combine(directory, "broken-images-idx3-ubyte");
            File.WriteAllBytes(path, DataTestFiles.Encode([2, 2, 2], new byte[8])[..10]);
            InvalidDataException e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
            Assert.StartsWith($"images file '{path}': the header is truncated", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A header that declares 2,000,000,000 bytes followed by 10: rejected at once, without allocating the declared size.</summary>
    [Theory]
    [InlineData(IdxCompression.None, true)]
    [InlineData(IdxCompression.None, false)]
    [InlineData(IdxCompression.Gzip, true)]
    public void Huge_declared_size_is_rejected_without_allocating_it(IdxCompression compression, bool seekable)
    {
        byte[] content = [.. DataTestFiles.Header(0x00000803, 2000, 1000, 1000), .. new byte[10]];
        byte[] file = compression == IdxCompression.Gzip ? DataTestFiles.Gzip(content) : content;

        // Warm up the code paths once, so that the measurement sees only the read itself.
        Assert.Throws<InvalidDataException>(() => IdxReader.Read(Open(file, seekable)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(Open(file, seekable)));
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("declared 2000 x 1000 x 1000 = 2000000000 bytes but only 10 follow the header", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1_000_000, $"Reading allocated {allocated} bytes.");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Reading took {clock.Elapsed}.");
    }

    [Fact]
    public void Writer_rejects_a_shape_that_does_not_match_the_data()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => DataTestFiles.Encode([2, 3], new byte[5]));
        Assert.Contains("2 x 3 = 6 bytes does not match the 5 bytes given", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DataTestFiles.Encode([], []));
        Assert.Throws<ArgumentException>(() => DataTestFiles.Encode([-1], []));
        Assert.Throws<ArgumentException>(() => new IdxArray([2, 2], new byte[3]));
    }

    private static Stream Open(byte[] file, bool seekable) =>
        seekable ? new MemoryStream(file, writable: false) : new NonSeekableStream(new MemoryStream(file, writable: false));

    /// <summary>Reads <paramref name="file"/> as a seekable and as an unseekable stream; both must fail naming the problem.</summary>
    private static void AssertInvalid(byte[] file, string expected, bool seekableOnly = false, bool unseekableOnly = false)
    {
        foreach (bool seekable in (bool[])[true, false])
        {
            if ((seekable && unseekableOnly) || (!seekable && seekableOnly))
            {
                continue;
            }

            InvalidDataException e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(Open(file, seekable), "sample"));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
            Assert.StartsWith("IDX stream 'sample'", e.Message, StringComparison.Ordinal);
        }
    }
}
