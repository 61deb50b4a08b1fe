using Backprop.Simd.Data;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Faults;

/// <summary>
/// A gzip bomb of consistent IDX files: a million 28x28 images (784 MB inflated) in under a megabyte. With a limit,
/// memory must follow the samples kept. CI runs the Faults category under a 512 MiB GC heap limit, where reading the
/// whole file (as before the limits) fails with OutOfMemoryException.
/// </summary>
[Trait("Category", "Faults")]
public sealed class IdxBombTests
{
    [Fact]
    public void A_limited_read_of_a_gzip_bomb_allocates_for_the_samples_kept_only()
    {
        (byte[] images, byte[] labels) = GzipBomb.Create(count: 1_000_000, rows: 28, columns: 28);
        Assert.True(images.Length < 1_000_000, $"the bomb is {images.Length:N0} bytes");

        long before = GC.GetAllocatedBytesForCurrentThread();
        Dataset<float> data = Dataset<float>.LoadIdx(new MemoryStream(images), new MemoryStream(labels), 10, limits: new IdxReadLimits { MaxCount = 100 });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(100, data.Count);
        Assert.Equal(784, data.FeatureCount);

        // 100 images kept as bytes and as floats (about 400 KB), plus buffers; the other 784 MB pass through 64 KiB.
        Assert.True(allocated < 4_000_000, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void Counting_the_labels_of_a_bomb_takes_constant_memory()
    {
        (_, byte[] labels) = GzipBomb.Create(count: 100_000_000, rows: 1, columns: 1);

        long before = GC.GetAllocatedBytesForCurrentThread();
        long[] counts = IdxReader.CountLabels(new MemoryStream(labels));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(100_000_000, counts[0]);
        Assert.True(allocated < 1_000_000, $"{allocated:N0} bytes allocated");
    }
}
