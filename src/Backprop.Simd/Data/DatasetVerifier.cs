using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Backprop.Simd.Data;

/// <summary>Checks a data set file against its manifest entry: the length and SHA-256 of its decompressed content.</summary>
public static class DatasetVerifier
{
    private const int BufferLength = 1 << 16;

    /// <summary>
    /// Whether the file at <paramref name="path"/>, decompressed if it starts with the gzip signature, has the length
    /// and SHA-256 that <paramref name="file"/> records. Reads at most one byte past the expected length, so an
    /// oversized or endless stream costs no more than the genuine file.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="file">The manifest entry.</param>
    /// <param name="problem">What is wrong, when the file does not match.</param>
    /// <returns>Whether the file matches.</returns>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static bool TryVerify(string path, DatasetFile file, [NotNullWhen(false)] out string? problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(file);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferLength, FileOptions.SequentialScan);
        return TryVerify(stream, file, out problem);
    }

    /// <summary>Throws unless the file at <paramref name="path"/> matches <paramref name="file"/> (see <see cref="TryVerify(string, DatasetFile, out string?)"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="file">The manifest entry.</param>
    /// <exception cref="InvalidDataException">The file does not match; the message names the file, and the expected and actual length or hash.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static void Verify(string path, DatasetFile file)
    {
        if (!TryVerify(path, file, out string? problem))
        {
            throw new InvalidDataException($"'{path}': {problem}");
        }
    }

    /// <summary>Checks a stream (from its position to its end) against <paramref name="file"/>.</summary>
    /// <param name="stream">The content, gzip or plain; left open.</param>
    /// <param name="file">The manifest entry.</param>
    /// <param name="problem">What is wrong, when the content does not match.</param>
    /// <returns>Whether the content matches.</returns>
    public static bool TryVerify(Stream stream, DatasetFile file, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        var signature = new byte[2];
        int got = stream.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
        bool gzip = got == 2 && signature[0] == 0x1F && signature[1] == 0x8B;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length;
        try
        {
            if (gzip)
            {
                using var decompressed = new GZipStream(new ReplayStream(stream, signature), CompressionMode.Decompress, leaveOpen: true);
                length = HashAtMost(decompressed, hash, file.Length + 1);
            }
            else
            {
                hash.AppendData(signature, 0, got);
                length = got + HashAtMost(stream, hash, file.Length + 1 - got);
            }
        }
        catch (InvalidDataException e)
        {
            problem = $"the gzip stream is corrupt: {e.Message}";
            return false;
        }

        string content = gzip ? "decompressed content" : "content";
        if (length != file.Length)
        {
            problem = length > file.Length
                ? $"the {content} is longer than the {file.Length} bytes expected for {file.Name}"
                : $"the {content} is {length} bytes; {file.Name} has {file.Length}";
            return false;
        }

        string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(actual, file.Sha256, StringComparison.Ordinal))
        {
            problem = $"the SHA-256 of the {content} is {actual}; {file.Name} has {file.Sha256}";
            return false;
        }

        problem = null;
        return true;
    }

    private static long HashAtMost(Stream stream, IncrementalHash hash, long limit)
    {
        var buffer = new byte[BufferLength];
        long total = 0;
        while (total < limit)
        {
            int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - total));
            if (n == 0)
            {
                break;
            }

            hash.AppendData(buffer, 0, n);
            total += n;
        }

        return total;
    }
}
