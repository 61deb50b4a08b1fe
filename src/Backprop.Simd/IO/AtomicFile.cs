using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Backprop.Simd.IO;

/// <summary>
/// Replaces a file all at once: the bytes go to a temporary file beside the target, are flushed to disk, and the
/// temporary file is renamed over the target, so a reader sees the old file or the new one, and a failure or a killed
/// process leaves the old one as it was. Every file the library and the tool write goes through here.
/// </summary>
/// <remarks>
/// <para><b>Targets.</b> A regular file or a name not taken yet. A directory, a device, a FIFO or a socket is refused
/// before anything is written, since the rename would replace it with a file. A symbolic link is written through:
/// the file it finally points to is replaced and the link stays.</para>
/// <para><b>Temporary names.</b> <c>.NAME.HHHHHHHHHHHHHHHH.tmp</c> beside the target NAME, with 16 random hex
/// digits: hidden, recognisable, and <see cref="NameOverhead"/> bytes longer than NAME, which is checked against the
/// file system's name limit before any work.</para>
/// <para><b>Leftovers.</b> A save first removes the temporary files that earlier saves to the same target left behind
/// (a process killed mid-save): only names of that target's pattern, and only files no process holds open. A save
/// holds its temporary file open with an exclusive lock until it is renamed, so a live save's file is never taken;
/// a killed process's lock goes with it.</para>
/// </remarks>
internal sealed class AtomicFile : IDisposable
{
    /// <summary>The bytes a temporary name adds to the target's name: a leading dot, a dot, the random digits and ".tmp".</summary>
    public const int NameOverhead = 1 + 1 + RandomDigits + 4;

    private const int RandomDigits = 16;
    private const string Suffix = ".tmp";

    private static readonly SearchValues<char> s_hexDigits = SearchValues.Create("0123456789abcdef");

    private readonly string _temporary;
    private bool _finished;

    private AtomicFile(string target, string temporary, FileStream stream)
    {
        Target = target;
        _temporary = temporary;
        Stream = stream;
    }

    /// <summary>The file that <see cref="Commit()"/> replaces: the path given, or the final target of a symbolic link there.</summary>
    public string Target { get; }

    /// <summary>The temporary file, open for reading and writing.</summary>
    public FileStream Stream { get; }

    /// <summary>
    /// Checks, before any work, that <paramref name="path"/> can be saved to: its target is a regular file or absent,
    /// its directory exists, and the temporary file's real name can be created there (it is created and removed).
    /// </summary>
    /// <param name="path">The file to be written.</param>
    /// <returns>The file a save would replace (the final target of a symbolic link).</returns>
    /// <exception cref="IOException">The target is not a regular file, the name is too long (<see cref="PathTooLongException"/>), the directory is missing (<see cref="DirectoryNotFoundException"/>), or the file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static string CheckTarget(string path)
    {
        string target = ResolveTarget(path);
        Probe(target);
        return target;
    }

    /// <summary>Creates and removes a temporary file of the real name and length beside <paramref name="target"/>: what fails there (a read-only directory or file system, even for root) fails now.</summary>
    /// <param name="target">A target from <see cref="ResolveTarget"/>.</param>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static void Probe(string target)
    {
        using (OpenTemporary(TemporaryPath(target), FileOptions.DeleteOnClose))
        {
        }
    }

    /// <summary>Starts replacing <paramref name="path"/>: checks it as <see cref="CheckTarget"/> does, removes the leftovers of earlier saves to it, and creates the temporary file.</summary>
    /// <param name="path">The file to be written.</param>
    /// <param name="asynchronous">Whether <see cref="Stream"/> is opened for asynchronous I/O.</param>
    /// <returns>The save in progress; dispose it to abandon the save and delete the temporary file.</returns>
    public static AtomicFile Create(string path, bool asynchronous = false)
    {
        string target = ResolveTarget(path);
        RemoveLeftovers(target);
        string temporary = TemporaryPath(target);
        FileStream stream = OpenTemporary(temporary, asynchronous ? FileOptions.Asynchronous : FileOptions.None);
        var file = new AtomicFile(target, temporary, stream);
        try
        {
            // The replacement keeps the permissions of the file it replaces, as writing into it would.
            if (!OperatingSystem.IsWindows() && File.Exists(target))
            {
                File.SetUnixFileMode(stream.SafeFileHandle, File.GetUnixFileMode(target));
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return file;
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, replacing any file there.</summary>
    /// <param name="path">The file.</param>
    /// <param name="bytes">Its new content.</param>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        using AtomicFile file = Create(path);
        file.Stream.Write(bytes);
        file.Commit();
    }

    /// <summary>The name of a new temporary file for <paramref name="target"/>: <c>.NAME.</c>, 16 random hex digits, <c>.tmp</c>.</summary>
    /// <param name="target">The full path of the target.</param>
    /// <returns>The full path of the temporary file.</returns>
    public static string TemporaryPath(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, TemporaryPrefix(Path.GetFileName(target)) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomDigits / 2)) + Suffix);

    /// <summary>Whether <paramref name="fileName"/> is a temporary file name of the target named <paramref name="targetName"/>.</summary>
    /// <param name="fileName">A file name, without directory.</param>
    /// <param name="targetName">The target's file name, without directory.</param>
    /// <returns>Whether it has the target's pattern.</returns>
    public static bool IsTemporaryName(string fileName, string targetName)
    {
        string prefix = TemporaryPrefix(targetName);
        return fileName.Length == prefix.Length + RandomDigits + Suffix.Length
            && fileName.StartsWith(prefix, StringComparison.Ordinal)
            && fileName.EndsWith(Suffix, StringComparison.Ordinal)
            && !fileName.AsSpan(prefix.Length, RandomDigits).ContainsAnyExcept(s_hexDigits);
    }

    /// <summary>Flushes the temporary file to disk and renames it over <see cref="Target"/>.</summary>
    public void Commit() => Commit(Target);

    /// <summary>
    /// Flushes the temporary file to disk and renames it over <paramref name="destination"/>, another name in the
    /// target's directory (a download keeps the name that describes its content), checked as the target was.
    /// </summary>
    /// <param name="destination">The full path to rename to.</param>
    public void Commit(string destination)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        string resolved = destination == Target ? Target : ResolveTarget(destination);

        // Data on the disk before the rename, so a power cut cannot leave the new name on unwritten blocks; renamed
        // while still open and locked, so no other save's cleanup can take it first.
        Stream.Flush(flushToDisk: true);
        File.Move(_temporary, resolved, overwrite: true);
        _finished = true;
        Stream.Dispose();
    }

    /// <summary>Abandons an uncommitted save: closes and deletes the temporary file; the target is untouched.</summary>
    public void Dispose()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        Stream.Dispose();
        try
        {
            File.Delete(_temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Never hides the failure being unwound; a leftover is removed by the next save to the target.
        }
    }

    private static string TemporaryPrefix(string targetName) => "." + targetName + ".";

    /// <summary>The file a save to <paramref name="path"/> replaces, checked: the final target of a link, a regular file or absent, in an existing directory, with a name that leaves room for the temporary name.</summary>
    /// <param name="path">The file to be written.</param>
    /// <returns>The full path of the file a save replaces.</returns>
    /// <exception cref="IOException">The target is not a regular file, or the name is too long (<see cref="PathTooLongException"/>).</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static string ResolveTarget(string path)
    {
        string full = Path.GetFullPath(path);
        string target = FinalPath(path);
        string shown = target == full ? $"'{path}'" : $"'{path}' (a link to '{target}')";
        FileKind kind = FileSystemFacts.GetKind(target);
        if (kind is not (FileKind.Absent or FileKind.RegularFile or FileKind.Unknown))
        {
            throw new IOException($"{shown} is {Describe(kind)}, not a regular file: saving there would replace it with a file. Name a regular file or a new one.");
        }

        string name = Path.GetFileName(target);
        if (name.Length == 0)
        {
            throw new IOException($"{shown} names a directory, not a file.");
        }

        string directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The directory of {shown} does not exist.");
        }

        int limit = FileSystemFacts.GetNameMax(directory);
        int length = Encoding.UTF8.GetByteCount(name);
        if (length + NameOverhead > limit)
        {
            throw new PathTooLongException(
                $"{shown}: the file name is {length} bytes and its temporary file's {length + NameOverhead}, more than the {limit} bytes a name may have here; use a name of at most {limit - NameOverhead} bytes.");
        }

        return target;
    }

    /// <summary>The full path of <paramref name="path"/> with symbolic links followed to the end (the path itself when it is no link).</summary>
    /// <param name="path">A path.</param>
    /// <returns>The full path of the final target, which need not exist.</returns>
    public static string FinalPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        return new FileInfo(full).LinkTarget is null ? full : File.ResolveLinkTarget(full, returnFinalTarget: true)!.FullName;
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a directory",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Pipe => "a FIFO (named pipe)",
        _ => "a socket",
    };

    /// <summary>
    /// Opens a new temporary file with an exclusive lock: FileShare.None takes one on Unix, where a file can be
    /// renamed while open; Windows renames only a file opened with FileShare.Delete, which still denies other opens.
    /// </summary>
    private static FileStream OpenTemporary(string temporary, FileOptions options) =>
        new(temporary, FileMode.CreateNew, FileAccess.ReadWrite, OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None, 1 << 16, options);

    /// <summary>Deletes the temporary files of earlier saves to <paramref name="target"/> that no process holds open.</summary>
    private static void RemoveLeftovers(string target)
    {
        string name = Path.GetFileName(target);
        foreach (string candidate in Directory.EnumerateFiles(Path.GetDirectoryName(target)!, TemporaryPrefix(name) + "*" + Suffix))
        {
            if (!IsTemporaryName(Path.GetFileName(candidate), name)
                || new FileInfo(candidate).LinkTarget is not null
                || FileSystemFacts.GetKind(candidate) is not (FileKind.RegularFile or FileKind.Unknown))
            {
                continue;
            }

            try
            {
                // The exclusive lock succeeds only when no live save holds the file; it is deleted as it closes.
                using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A live save's file, or another user's: not ours to remove.
            }
        }
    }
}
