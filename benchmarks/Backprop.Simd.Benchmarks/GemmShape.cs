using System.Globalization;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// One GEMM problem, <c>op(A)[M,K] x op(B)[K,N]</c>, named as the issue names it so BenchmarkDotNet's table reads
/// like the README's.
/// </summary>
public sealed record GemmShape(string Name, int M, int N, int K, Transpose TransposeA = Transpose.None, Transpose TransposeB = Transpose.None)
{
    /// <summary>Floating-point operations of one product.</summary>
    public double Flops => 2.0 * M * N * K;

    private static readonly int[] SquareSizes = [64, 128, 256, 512, 1024, 2048];

    /// <summary>Square products, the usual BLAS yardstick.</summary>
    public static IEnumerable<GemmShape> Squares() =>
        SquareSizes.Select(s => new GemmShape(s.ToString(CultureInfo.InvariantCulture) + "²", s, s, s));

    /// <summary>
    /// The products of one 784-256-128-10 training step at batch <paramref name="batch"/>: the three forward products,
    /// the weight gradient <c>Xᵀ·dY</c> and the input gradient <c>dY·Wᵀ</c> of the first layer.
    /// </summary>
    public static IEnumerable<GemmShape> Mlp(int batch)
    {
        string b = batch.ToString(CultureInfo.InvariantCulture);
        yield return new($"[{b},784]x[784,256]", batch, 256, 784);
        yield return new($"[{b},256]x[256,128]", batch, 128, 256);
        yield return new($"[{b},128]x[128,10]", batch, 10, 128);
        yield return new($"X^T·dY {b}", 784, 256, batch, TransposeA: Transpose.Transposed);
        yield return new($"dY·W^T {b}", batch, 784, 256, TransposeB: Transpose.Transposed);
    }

    /// <summary>Every shape the benchmarks cover.</summary>
    public static IEnumerable<GemmShape> All() => Squares().Concat(Mlp(32)).Concat(Mlp(128)).Concat(Mlp(1024));

    /// <inheritdoc/>
    public override string ToString() => Name;
}
