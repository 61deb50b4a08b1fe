using System.Globalization;

namespace Backprop.Simd.Data;

/// <summary>
/// One file of a published data set: its name, the length and SHA-256 of its decompressed content. The content hash
/// is stable when a distribution recompresses the file, unlike the hash of the .gz file.
/// </summary>
public sealed class DatasetFile
{
    /// <summary>Creates a file entry.</summary>
    /// <param name="name">The file name without ".gz", for example "train-images-idx3-ubyte"; no directory part.</param>
    /// <param name="length">The length of the decompressed content in bytes.</param>
    /// <param name="sha256">The SHA-256 of the decompressed content: 64 hexadecimal digits.</param>
    /// <exception cref="ArgumentException">The name is empty or holds a path separator, or the hash is not 64 hexadecimal digits.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public DatasetFile(string name, long length, string sha256)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(sha256);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (name.IndexOfAny(['/', '\\']) >= 0 || name is "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        }

        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"The SHA-256 of '{name}' must be 64 hexadecimal digits, not '{sha256}'.", nameof(sha256));
        }

        Name = name;
        Length = length;
        Sha256 = sha256.ToLowerInvariant();
    }

    /// <summary>The file name without ".gz".</summary>
    public string Name { get; }

    /// <summary>The name of the gzip file as published: <see cref="Name"/> + ".gz".</summary>
    public string CompressedName => Name + ".gz";

    /// <summary>The length of the decompressed content in bytes.</summary>
    public long Length { get; }

    /// <summary>The SHA-256 of the decompressed content, 64 lowercase hexadecimal digits.</summary>
    public string Sha256 { get; }

    /// <summary>The name, length and hash.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} ({Length} bytes, SHA-256 {Sha256})");
}
