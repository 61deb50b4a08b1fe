using System.Text;

namespace Backprop.Simd.Cli.Output;

/// <summary>
/// The process's redirected standard output, whose write failures say that it is standard output that failed: a
/// closed stdout (<c>backprop ... &gt;&amp;-</c>) fails every write with EBADF, which .NET reports as "Access to the
/// path is denied", naming no path. A terminal keeps <see cref="Console.Out"/>, whose width Spectre.Console reads.
/// </summary>
internal sealed class StandardOutput : Stream
{
    /// <summary>What a closed standard output makes the tool say.</summary>
    public const string ClosedMessage = "Cannot write to standard output: it is closed (or not open for writing), so nothing can be printed.";

    private readonly Stream _inner;

    private StandardOutput(Stream inner) => _inner = inner;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The writer for the command's output: <see cref="Console.Out"/> on a terminal or on Windows, else standard output with failures named.</summary>
    /// <exception cref="UnauthorizedAccessException">Descriptor 1 is closed and was not reused (the runtime may reuse it for a pipe of its own, whose writes then fail).</exception>
    public static TextWriter OpenWriter()
    {
        if (!Console.IsOutputRedirected || OperatingSystem.IsWindows())
        {
            return Console.Out;
        }

        Encoding encoding = Console.OutputEncoding.CodePage == Encoding.UTF8.CodePage ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) : Console.OutputEncoding;
        return TextWriter.Synchronized(new StreamWriter(new StandardOutput(Console.OpenStandardOutput()), encoding) { AutoFlush = true });
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            _inner.Write(buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(e);
        }
    }

    public override void Flush()
    {
        try
        {
            _inner.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>EBADF, the one error .NET turns into an access error here, means that descriptor 1 is not open for writing.</summary>
    private static IOException Failed(Exception e) => e is UnauthorizedAccessException
        ? new IOException(ClosedMessage, e)
        : new IOException($"Cannot write to standard output: {e.Message}", e);
}
