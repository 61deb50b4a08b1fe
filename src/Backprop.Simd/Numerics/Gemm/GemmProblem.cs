using System.Numerics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// One GEMM, C = alpha op(A) op(B) + beta C, over pinned memory. When <see cref="TransposedC"/> is set the problem
/// computes Cᵀ: tile element (i, j) goes to <c>C[j * Ldc + i]</c> (the engine's rewrite of a skinny-N product).
/// </summary>
internal unsafe struct GemmProblem<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* A;
    public nint Lda;
    public bool TransA;
    public T* B;
    public nint Ldb;
    public bool TransB;
    public T* C;
    public nint Ldc;
    public bool TransposedC;
    public int M;
    public int N;
    public int K;
    public T Alpha;
    public T Beta;

    /// <summary>The same product computed as Cᵀ = op(B)ᵀ op(A)ᵀ, so that the short dimension N becomes the rows.</summary>
    public readonly GemmProblem<T> Swapped() => this with
    {
        A = B,
        Lda = Ldb,
        TransA = !TransB,
        B = A,
        Ldb = Lda,
        TransB = !TransA,
        TransposedC = !TransposedC,
        M = N,
        N = M,
    };

    /// <summary>Address of op(A)[i, p].</summary>
    public readonly T* AAt(int i, int p) => TransA ? A + ((nint)p * Lda) + i : A + ((nint)i * Lda) + p;

    /// <summary>Address of op(B)[p, j].</summary>
    public readonly T* BAt(int p, int j) => TransB ? B + ((nint)j * Ldb) + p : B + ((nint)p * Ldb) + j;
}
