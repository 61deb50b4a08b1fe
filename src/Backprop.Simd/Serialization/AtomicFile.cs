namespace Backprop.Simd.Serialization;

/// <summary>
/// Replaces a file all at once: the bytes go to a temporary file in the same folder, are flushed to disk, and the
/// temporary file is then renamed over the target. A reader sees the old file or the new one, never half of one, and
/// a failure (full disk, cancelled process) leaves the old file as it was.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, replacing any file there.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        // Same folder, so the rename stays on one file system and is atomic there.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            // Exists first: deleting in a folder that does not exist would throw and hide the original error.
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            throw;
        }
    }
}
