namespace Backprop.Simd.IO;

/// <summary>What a path names, following symbolic links; see <see cref="FileSystemFacts.GetKind"/>.</summary>
internal enum FileKind
{
    /// <summary>Nothing: no such file, or a symbolic link whose target does not exist.</summary>
    Absent,

    /// <summary>A regular file.</summary>
    RegularFile,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A character device, such as /dev/null or /dev/full.</summary>
    CharacterDevice,

    /// <summary>A block device, such as a disk.</summary>
    BlockDevice,

    /// <summary>A FIFO (named pipe).</summary>
    Pipe,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>Something that exists but whose kind this platform does not report (every existing non-directory outside Linux).</summary>
    Unknown,
}
