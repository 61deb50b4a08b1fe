using Backprop.Simd.Numerics.Buffers;

namespace Backprop.Simd.Numerics;

/// <summary>
/// One thread's packing buffers (A block, B panel, register tile, matrix-vector row), 64-byte aligned and reused
/// across calls through <see cref="Pool"/>: after warm-up a GEMM allocates nothing.
/// </summary>
internal sealed class GemmScratch : IDisposable
{
    /// <summary>Enough for every thread of a large machine plus callers running concurrently.</summary>
    public static readonly ScratchPool<GemmScratch> Pool = new(Math.Max(16, 4 * Environment.ProcessorCount));

    public AlignedBuffer A { get; } = new();

    public AlignedBuffer B { get; } = new();

    public AlignedBuffer Tile { get; } = new();

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        Tile.Dispose();
    }
}
