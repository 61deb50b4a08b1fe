using System.Globalization;

namespace Backprop.Simd.Cli;

/// <summary>The checks every command makes of a file it reads, before and while reading it.</summary>
internal static class InputFile
{
    private const int ChunkLength = 1 << 20;

    /// <summary>Throws unless <paramref name="path"/> is an existing file, saying whether it is missing or a directory.</summary>
    /// <param name="path">The path given.</param>
    /// <param name="what">How the message names it, such as "The model file".</param>
    /// <exception cref="FileNotFoundException">No file there.</exception>
    public static void ThrowIfMissing(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(Directory.Exists(path) ? $"{what} '{path}' is a directory, not a file." : $"{what} '{path}' does not exist.", path);
        }
    }

    /// <summary>
    /// Reads a whole file of at most <paramref name="maxBytes"/> bytes. The cap holds while reading, whatever the file
    /// claims: a device or a pipe reports no length (/dev/zero never ends) and is read up to the cap, never past it.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most bytes accepted.</param>
    /// <param name="what">What such files are, for the message, such as "image files".</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="InvalidDataException">The file is longer than the cap.</exception>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        long claimed = stream.CanSeek ? stream.Length : 0;
        if (claimed > maxBytes)
        {
            throw TooLong(path, claimed.ToString("N0", CultureInfo.InvariantCulture), maxBytes, what);
        }

        // Chunks, never a buffer that doubles: what a device pours in costs the cap at most, not twice it.
        var chunks = new List<byte[]>();
        long total = 0;
        int last;
        do
        {
            var chunk = new byte[ChunkLength];
            last = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            chunks.Add(chunk);
            total += last;
            if (total > maxBytes)
            {
                throw TooLong(path, $"more than {maxBytes:N0}", maxBytes, what);
            }
        }
        while (last == ChunkLength);

        var bytes = new byte[total];
        for (int i = 0; i < chunks.Count; i++)
        {
            chunks[i].AsSpan(0, (int)Math.Min(ChunkLength, total - ((long)i * ChunkLength))).CopyTo(bytes.AsSpan(i * ChunkLength));
        }

        return bytes;
    }

    private static InvalidDataException TooLong(string path, string length, long maxBytes, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"'{path}' has {length} bytes; {what} up to {maxBytes:N0} bytes are read."));
}
