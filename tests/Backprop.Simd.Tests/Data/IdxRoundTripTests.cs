using Backprop.Simd.Data;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Simd.Tests.Data;

/// <summary>Write then read gives back the same array, for random shapes, both encodings and both kinds of stream.</summary>
[Trait("Category", "Data")]
public sealed class IdxRoundTripTests
{
    private static Arbitrary<(int[] Dimensions, ulong Seed)> Shapes() =>
        (from rank in Gen.Choose(1, 5)
         from dimensions in Gen.ArrayOf(Gen.Choose(0, 7), rank)
         from seed in Gen.Choose(0, int.MaxValue)
         select (dimensions, (ulong)seed)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Plain_round_trip() => Prop.ForAll(Shapes(), s => RoundTrip(s.Dimensions, s.Seed, IdxCompression.None));

    [Property(MaxTest = 200)]
    public Property Gzip_round_trip() => Prop.ForAll(Shapes(), s => RoundTrip(s.Dimensions, s.Seed, IdxCompression.Gzip));

    [Fact]
    public void Large_gzip_file_round_trips_through_a_small_chunked_stream()
    {
        // Larger than the reader's first chunk, so the bounded buffer must grow several times.
        byte[] data = DataTestFiles.RandomBytes(300 * 28 * 28, 11);
        byte[] file = DataTestFiles.Encode([300, 28, 28], data, IdxCompression.Gzip);
        IdxArray array = IdxReader.ReadImages(new NonSeekableStream(new MemoryStream(file)));
        Assert.Equal(data, array.Data);
    }

    [Fact]
    public void File_round_trip_chooses_gzip_by_extension()
    {
        string directory = DataTestFiles.CreateTemporaryDirectory();
        try
        {
            var array = new IdxArray([3, 2], [1, 2, 3, 4, 5, 6]);
            string gz = Path.Combine(directory, "a.gz");
            string plain = Path.Combine(directory, "a.idx");
            IdxWriter.Write(gz, array);
            IdxWriter.Write(plain, array);
            Assert.Equal([0x1F, 0x8B], File.ReadAllBytes(gz)[..2]);
            Assert.Equal([0, 0, 8, 2], File.ReadAllBytes(plain)[..4]);
            Assert.Equal(array.Data, IdxReader.Read(gz).Data);
            Assert.Equal([3, 2], IdxReader.Read(plain).Dimensions.ToArray());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_failed_file_write_leaves_the_file_that_was_there()
    {
        string directory = DataTestFiles.CreateTemporaryDirectory();
        try
        {
            string path = Path.Combine(directory, "kept.idx");
            File.WriteAllText(path, "old");
            var array = new IdxArray([1], [7]);

            // A bad argument is found before the file is opened (it used to be truncated to 0 bytes first).
            Assert.Throws<ArgumentOutOfRangeException>(() => IdxWriter.Write(path, array, (IdxCompression)7));
            Assert.Equal("old", File.ReadAllText(path));

            // A failed write (here: a directory where the file is renamed to) leaves no temporary file behind.
            Directory.CreateDirectory(Path.Combine(directory, "taken"));
            Assert.ThrowsAny<IOException>(() => IdxWriter.Write(Path.Combine(directory, "taken"), array, IdxCompression.None));
            Assert.Equal(["kept.idx", "taken"], Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).Order());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void RoundTrip(int[] dimensions, ulong seed, IdxCompression compression)
    {
        int length = dimensions.Aggregate(1, (a, b) => a * b);
        byte[] data = DataTestFiles.RandomBytes(length, seed);
        byte[] file = DataTestFiles.Encode(dimensions, data, compression);
        foreach (Stream stream in (Stream[])[new MemoryStream(file), new NonSeekableStream(new MemoryStream(file))])
        {
            IdxArray array = IdxReader.Read(stream);
            Assert.Equal(dimensions, array.Dimensions.ToArray());
            Assert.Equal(data, array.Data);
            Assert.Equal(dimensions[0], array.Count);
            if (stream.CanSeek)
            {
                Assert.Equal(file.Length, stream.Position);
            }
            else
            {
                Assert.Equal(-1, stream.ReadByte());
            }
        }

        if (compression == IdxCompression.None)
        {
            Assert.Equal(0x00000800 | dimensions.Length, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(file));
            Assert.Equal(4 + (4 * dimensions.Length) + length, file.Length);
        }
    }
}
