using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Backprop.Simd.IO;

/// <summary>
/// Two facts about the file system that .NET 10 does not expose: the kind of file a path names (to
/// <see cref="FileInfo"/> a device, a FIFO and an empty file look alike) and the longest file name a directory takes.
/// Linux answers both, through statx and pathconf; elsewhere an existing non-directory is <see cref="FileKind.Unknown"/>
/// and names are taken to be limited to 255 bytes, the limit of the common file systems.
/// </summary>
internal static partial class FileSystemFacts
{
    /// <summary>The longest file name (one path component) in bytes where the file system does not say.</summary>
    public const int DefaultNameMax = 255;

    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28;
    private const int StatxLength = 256;
    private const int PathConfNameMax = 3;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;

    /// <summary>The kind of file <paramref name="path"/> names, following symbolic links.</summary>
    /// <param name="path">A full path.</param>
    /// <returns>Its kind; <see cref="FileKind.Unknown"/> where the platform cannot tell.</returns>
    public static FileKind GetKind(string path)
    {
        if (OperatingSystem.IsLinux() && TryStatxMode(path, out int mode, out bool absent))
        {
            return absent ? FileKind.Absent : (mode & 0xF000) switch
            {
                0x8000 => FileKind.RegularFile,
                0x4000 => FileKind.Directory,
                0x2000 => FileKind.CharacterDevice,
                0x6000 => FileKind.BlockDevice,
                0x1000 => FileKind.Pipe,
                0xC000 => FileKind.Socket,
                _ => FileKind.Unknown,
            };
        }

        return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Unknown : FileKind.Absent;
    }

    /// <summary>The longest file name, in bytes, that <paramref name="directory"/> takes: pathconf's NAME_MAX on Linux, else <see cref="DefaultNameMax"/>.</summary>
    /// <param name="directory">An existing directory.</param>
    /// <returns>The limit.</returns>
    public static int GetNameMax(string directory)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                long limit = PathConf(directory, PathConfNameMax);
                if (limit > 0)
                {
                    return (int)Math.Min(limit, int.MaxValue);
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // A C library without pathconf: fall back to the common limit.
            }
        }

        return DefaultNameMax;
    }

    /// <summary>statx(2) for the file type alone; false when the call is unavailable or fails for another reason than absence.</summary>
    private static bool TryStatxMode(string path, out int mode, out bool absent)
    {
        mode = 0;
        absent = false;
        Span<byte> buffer = stackalloc byte[StatxLength];
        try
        {
            if (Statx(AtCurrentDirectory, path, 0, StatxType, buffer) == 0)
            {
                // struct statx has one layout on every Linux architecture; its fields are in the machine's byte order.
                mode = BitConverter.IsLittleEndian
                    ? BinaryPrimitives.ReadUInt16LittleEndian(buffer[StatxModeOffset..])
                    : BinaryPrimitives.ReadUInt16BigEndian(buffer[StatxModeOffset..]);
                return true;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library older than statx (glibc before 2.28): the kind stays unknown.
            return false;
        }

        int error = Marshal.GetLastPInvokeError();
        absent = error is NoSuchFile or NotADirectory;
        return absent;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "pathconf", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint PathConf(string path, int name);
}
