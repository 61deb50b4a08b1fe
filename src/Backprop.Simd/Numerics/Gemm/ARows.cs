namespace Backprop.Simd.Numerics;

/// <summary>
/// How a micro-kernel reads its MR values of A at each k: from a packed micro-panel (MR values per k, contiguous),
/// straight from a row-major op(A) (row r at <c>a + r * lda</c>, k contiguous), or straight from a transposed A, whose
/// stored rows hold op(A)'s columns (MR values per k, contiguous, the next k <c>lda</c> further). One kernel body
/// serves all three: the JIT specialises it per struct, so each compiles to its own loads and the same arithmetic.
/// </summary>
internal unsafe interface IARows
{
    /// <summary>How far the A pointer moves per k in a kernel of <paramref name="mr"/> rows.</summary>
    static abstract nint Step(int mr, nint lda);

    /// <summary>Row <paramref name="r"/>'s value at the current k.</summary>
    static abstract T Element<T>(T* a, nint lda, int r)
        where T : unmanaged;
}

/// <summary>A packed micro-panel: <c>a[p * MR + r]</c>.</summary>
internal readonly unsafe struct PackedARows : IARows
{
    public static nint Step(int mr, nint lda) => mr;

    public static T Element<T>(T* a, nint lda, int r)
        where T : unmanaged => a[r];
}

/// <summary>op(A) read in place: <c>a[r * lda + p]</c>.</summary>
internal readonly unsafe struct DirectARows : IARows
{
    public static nint Step(int mr, nint lda) => 1;

    public static T Element<T>(T* a, nint lda, int r)
        where T : unmanaged => a[r * lda];
}

/// <summary>A transposed A read in place: op(A)(r, p) = <c>a[p * lda + r]</c>, a packed micro-panel's layout with lda between the k.</summary>
internal readonly unsafe struct TransposedARows : IARows
{
    public static nint Step(int mr, nint lda) => lda;

    public static T Element<T>(T* a, nint lda, int r)
        where T : unmanaged => a[r];
}
