using System.Runtime.InteropServices;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>Where a guarded buffer sits against its inaccessible page.</summary>
public enum GuardSide
{
    /// <summary>The buffer ends exactly where a no-access page begins: reading or writing past the end faults.</summary>
    AfterEnd,

    /// <summary>The buffer begins exactly where a no-access page ends: reading or writing before the start faults.</summary>
    BeforeStart,
}

/// <summary>
/// A buffer of <typeparamref name="T"/> that makes out-of-bounds access fail loudly. On Linux it sits against a
/// page mapped PROT_NONE, so a stray read or write through a raw pointer (which spans cannot bounds-check) kills the
/// test run at once. Elsewhere, and in addition, it is surrounded by canary elements that <see cref="AssertIntact"/>
/// checks, which catches stray writes.
/// </summary>
public sealed unsafe class GuardedBuffer<T> : IDisposable
    where T : unmanaged
{
    private const int CanaryCount = 16;
    private const int ProtNone = 0;
    private const int ProtReadWrite = 3;
    private const int MapPrivateAnonymous = 0x02 | 0x20;
    private static readonly nuint s_pageSize = (nuint)Environment.SystemPageSize;

    private readonly byte* _mapping;
    private readonly nuint _mappingBytes;
    private readonly T[]? _managed;
    private readonly GCHandle _handle;
    private readonly T* _start;
    private readonly T _canary;

    public GuardedBuffer(int length, GuardSide side, T canary)
    {
        Length = length;
        _canary = canary;
        nuint bytes = (nuint)(length * sizeof(T));
        if (OperatingSystem.IsLinux())
        {
            nuint dataPages = (bytes + s_pageSize - 1) / s_pageSize;
            _mappingBytes = (dataPages + 2) * s_pageSize;
            _mapping = (byte*)LibC.mmap(null, _mappingBytes, ProtReadWrite, MapPrivateAnonymous, -1, 0);
            if (_mapping == (byte*)-1)
            {
                throw new InvalidOperationException("mmap failed");
            }

            if (LibC.mprotect(_mapping, s_pageSize, ProtNone) != 0 || LibC.mprotect(_mapping + ((dataPages + 1) * s_pageSize), s_pageSize, ProtNone) != 0)
            {
                throw new InvalidOperationException("mprotect failed");
            }

            byte* dataStart = _mapping + s_pageSize;
            byte* dataEnd = dataStart + (dataPages * s_pageSize);
            _start = side == GuardSide.AfterEnd ? (T*)(dataEnd - bytes) : (T*)dataStart;
        }
        else
        {
            _managed = new T[length + (2 * CanaryCount)];
            _managed.AsSpan().Fill(canary);
            _handle = GCHandle.Alloc(_managed, GCHandleType.Pinned);
            _start = (T*)_handle.AddrOfPinnedObject() + CanaryCount;
        }
    }

    public int Length { get; }

    public Span<T> Span => new(_start, Length);

    /// <summary>Fails unless the canaries around a managed buffer are untouched (guard pages need no check: they fault).</summary>
    public void AssertIntact()
    {
        if (_managed is null)
        {
            return;
        }

        for (int i = 0; i < CanaryCount; i++)
        {
            Assert.True(_managed[i].Equals(_canary), $"Write before the buffer at element {i - CanaryCount}.");
            Assert.True(_managed[CanaryCount + Length + i].Equals(_canary), $"Write past the buffer at element {Length + i}.");
        }
    }

    public void Dispose()
    {
        if (_mapping is not null)
        {
            _ = LibC.munmap(_mapping, _mappingBytes);
        }

        if (_handle.IsAllocated)
        {
            _handle.Free();
        }
    }
}

/// <summary>The few libc calls the guarded buffers need (Linux only).</summary>
internal static unsafe class LibC
{
    [DllImport("libc.so.6", SetLastError = true)]
    internal static extern void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [DllImport("libc.so.6", SetLastError = true)]
    internal static extern int mprotect(void* addr, nuint len, int prot);

    [DllImport("libc.so.6", SetLastError = true)]
    internal static extern int munmap(void* addr, nuint length);
}
