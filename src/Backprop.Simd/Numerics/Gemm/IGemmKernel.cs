namespace Backprop.Simd.Numerics;

/// <summary>
/// The contract of a GEMM micro-kernel (BLIS's): an <see cref="Mr"/> x <see cref="Nr"/> tile of C computed from
/// packed operands, with the block sizes that suit it. Static members, so the blocked driver is specialised per kernel
/// by the JIT and every call is direct.
/// </summary>
/// <remarks>
/// Every kernel computes each element in the same order: from zero, one multiply-add per k in increasing k
/// (<c>MultiplyAddEstimate</c>, fused wherever the hardware has FMA). The merge into C is separate.
/// </remarks>
internal unsafe interface IGemmKernel<T>
    where T : unmanaged
{
    /// <summary>Rows of the register tile.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the register tile: a multiple of the vector width.</summary>
    static abstract int Nr { get; }

    /// <summary>Rows of op(A) packed per block (L2-resident), a multiple of <see cref="Mr"/>.</summary>
    static abstract int Mc { get; }

    /// <summary>The depth of a block; also fixes the summation order, so it depends on nothing but the kernel.</summary>
    static abstract int Kc { get; }

    /// <summary>Columns of op(B) packed per block (L3-resident), a multiple of <see cref="Nr"/>.</summary>
    static abstract int Nc { get; }

    /// <summary>
    /// tile[r * Nr + j] = Σ_p A(r, p) * b[p * ldb + j] for r &lt; Mr, j &lt; Nr, p &lt; kc. <typeparamref name="TRows"/>
    /// says where A(r, p) lies: <see cref="PackedARows"/>, a packed A micro-panel (a[p * Mr + r], lda unused),
    /// <see cref="DirectARows"/>, a full MR-row panel of a row-major op(A) read in place (a[r * lda + p]), or
    /// <see cref="TransposedARows"/>, a full panel of a transposed A read in place (a[p * lda + r]); the same products in
    /// the same order, so the same bits. <paramref name="b"/> is a packed B micro-panel (ldb = Nr) or, for
    /// a full panel, op(B) read in place. With <see cref="FirstVectorOnly"/> as <typeparamref name="TWidth"/> (the panel
    /// has at most <c>Nr / 2</c> columns) only j &lt; Nr / 2 is needed; a kernel without vectors may compute the rest anyway.
    /// </summary>
    static abstract void Run<TRows, TWidth>(nint kc, T* a, nint lda, T* b, nint ldb, T* tile)
        where TRows : IARows
        where TWidth : ITileWidth;

    /// <summary>
    /// One row of C: row[j] = Σ_p a[p * aStride] * b[p * ldb + j] for j &lt; n, p &lt; kc, with B read in place.
    /// The matrix-vector path (M = 1); the same order of operations as <see cref="Run"/>.
    /// </summary>
    static abstract void RunRow(nint kc, T* a, nint aStride, T* b, nint ldb, T* row, int n);
}
