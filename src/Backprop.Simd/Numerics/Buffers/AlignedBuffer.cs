using System.Runtime.InteropServices;

namespace Backprop.Simd.Numerics.Buffers;

/// <summary>
/// Native memory aligned to a 64-byte cache line, grown on demand and never shrunk: the packing scratch of the GEMM.
/// Managed arrays are only 8-byte aligned, which costs the packed kernels a few per cent.
/// </summary>
internal sealed unsafe class AlignedBuffer : IDisposable
{
    private const nuint Alignment = 64;
    private void* _pointer;
    private nuint _bytes;

    /// <summary>A pointer to at least <paramref name="bytes"/> bytes; the contents are undefined.</summary>
    public void* Get(nuint bytes)
    {
        if (bytes > _bytes)
        {
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
            _bytes = 0;
            _pointer = NativeMemory.AlignedAlloc(bytes, Alignment);
            _bytes = bytes;
        }

        return _pointer;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~AlignedBuffer() => Free();

    private void Free()
    {
        NativeMemory.AlignedFree(_pointer);
        _pointer = null;
        _bytes = 0;
    }
}
