using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>FIFOs and Unix sockets in a test's own directory, for the output-path tests (real /dev nodes are only read).</summary>
internal static partial class SpecialFiles
{
    /// <summary>Creates a FIFO (named pipe) at <paramref name="path"/>, mode 0644.</summary>
    public static void MakeFifo(string path)
    {
        if (MakeFifoNative(path, 0x1A4) != 0)
        {
            throw new IOException($"mkfifo '{path}' failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Binds a Unix domain socket at <paramref name="path"/>; .NET removes the file when the socket is disposed.</summary>
    public static Socket MakeSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MakeFifoNative(string path, uint mode);
}
