namespace Backprop.Simd.Numerics;

/// <summary>Whether a GEMM operand is used as stored or transposed: the <c>op</c> in <c>C = alpha op(A) op(B) + beta C</c>.</summary>
public enum Transpose
{
    /// <summary>op(X) = X.</summary>
    None = 0,

    /// <summary>op(X) = Xᵀ.</summary>
    Transposed = 1,
}
