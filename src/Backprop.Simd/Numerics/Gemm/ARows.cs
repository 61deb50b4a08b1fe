namespace Backprop.Simd.Numerics;

/// <summary>
/// How a micro-kernel reads its MR values of A at each k: from a packed micro-panel (MR values per k, contiguous) or
/// straight from a row-major op(A) (row r at <c>a + r * lda</c>, k contiguous). One kernel body serves both: the JIT
/// specialises it per struct, so the packed form compiles to the same code as before and the direct form to MR
/// strided loads.
/// </summary>
internal unsafe interface IARows
{
    /// <summary>How far the A pointer moves per k in a kernel of <paramref name="mr"/> rows.</summary>
    static abstract nint Step(int mr);

    /// <summary>Row <paramref name="r"/>'s value at the current k.</summary>
    static abstract T Element<T>(T* a, nint lda, int r)
        where T : unmanaged;
}

/// <summary>A packed micro-panel: <c>a[p * MR + r]</c>.</summary>
internal readonly unsafe struct PackedARows : IARows
{
    public static nint Step(int mr) => mr;

    public static T Element<T>(T* a, nint lda, int r)
        where T : unmanaged => a[r];
}

/// <summary>op(A) read in place: <c>a[r * lda + p]</c>.</summary>
internal readonly unsafe struct DirectARows : IARows
{
    public static nint Step(int mr) => 1;

    public static T Element<T>(T* a, nint lda, int r)
        where T : unmanaged => a[r * lda];
}
