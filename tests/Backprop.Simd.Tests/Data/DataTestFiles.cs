using Backprop.Simd.Data;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Data;

/// <summary>Paths and synthetic IDX files for the data tests.</summary>
internal static class DataTestFiles
{
    private static readonly Lazy<string> s_repositoryRoot = new(FindRepositoryRoot);

    /// <summary>The folder that holds Backprop.Simd.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot => s_repositoryRoot.Value;

    /// <summary>The committed 10,000 MNIST digits.</summary>
    public static string MnistImages => Path.Combine(RepositoryRoot, "data", "mnist10k-images-idx3-ubyte.gz");

    /// <summary>The committed 10,000 MNIST labels.</summary>
    public static string MnistLabels => Path.Combine(RepositoryRoot, "data", "mnist10k-labels-idx1-ubyte.gz");

    /// <summary>The bytes of an IDX file with the given dimensions and data.</summary>
    public static byte[] Encode(ReadOnlySpan<int> dimensions, ReadOnlySpan<byte> data, IdxCompression compression = IdxCompression.None)
    {
        using var stream = new MemoryStream();
        IdxWriter.Write(stream, dimensions, data, compression);
        return stream.ToArray();
    }

    /// <summary>Random bytes from a seed.</summary>
    public static byte[] RandomBytes(int length, ulong seed)
    {
        var random = new SeededRandom(seed);
        var bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)random.NextUInt64();
        }

        return bytes;
    }

    /// <summary>A raw IDX header (magic + sizes), written by hand so that it may lie.</summary>
    public static byte[] Header(int magic, params uint[] sizes)
    {
        var bytes = new byte[4 + (4 * sizes.Length)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < sizes.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + (4 * i)), sizes[i]);
        }

        return bytes;
    }

    /// <summary>Gzip-compresses arbitrary bytes.</summary>
    public static byte[] Gzip(ReadOnlySpan<byte> content)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    /// <summary>A fresh, empty temporary directory.</summary>
    public static string CreateTemporaryDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "backprop-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Backprop.Simd.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Backprop.Simd.sln.");
    }
}

/// <summary>A read-only stream that hides its length and refuses to seek, like a network or pipe stream.</summary>
internal sealed class NonSeekableStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 7000));

    public override int Read(Span<byte> buffer) => inner.Read(buffer[..Math.Min(buffer.Length, 7000)]);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
