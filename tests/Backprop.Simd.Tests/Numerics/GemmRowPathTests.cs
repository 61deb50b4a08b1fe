using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// A single-row product (the matrix-vector path that single-sample inference takes) gives exactly the bits of the
/// same row computed inside a larger product (the batch path): both sum each element from zero in k order with the
/// same block boundaries. So a model predicts the same for a sample alone or in a batch.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class GemmRowPathTests
{
    public static TheoryData<string> Kinds => new(GemmHarness.AllKinds.Select(k => k.ToString()));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Float_single_row_equals_row_of_batch(string kind) => Check<float>(Enum.Parse<GemmKernelKind>(kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Double_single_row_equals_row_of_batch(string kind) => Check<double>(Enum.Parse<GemmKernelKind>(kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Float_single_row_split_over_k_blocks_gives_the_same_bits(string kind) => CheckSplit<float>(Enum.Parse<GemmKernelKind>(kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Double_single_row_split_over_k_blocks_gives_the_same_bits(string kind) => CheckSplit<double>(Enum.Parse<GemmKernelKind>(kind));

    /// <summary>
    /// A row large enough to be split across threads by K blocks (each thread a partial row, merged by the caller in
    /// block order) gives the bits of the one-thread row and of the row inside a batch, with alpha and beta applied.
    /// </summary>
    private static void CheckSplit<T>(GemmKernelKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmBlocking b = GemmBlocking.For<T>(kind);
        var random = new SeededRandom(23);
        (int N, int K)[] shapes = [(256, 784), (333, (2 * b.Kc) + 3), (300, (3 * b.Kc) + 1)];
        T alpha = T.CreateChecked(0.5), beta = T.CreateChecked(0.25);
        foreach ((int n, int k) in shapes)
        {
            (int mr, int nr, _) = GemmEngine<T>.Blocking(kind);
            Assert.True(GemmEngine<T>.KBlocks(kind, k) > 1 && GemmEngine<T>.Plan(1, n, k, mr, nr, 4).Tn > 1, $"n={n} k={k} would not be split.");
            const int Rows = 3;
            var a = new T[Rows * k];
            var w = new T[k * n];
            var c0 = new T[Rows * n];
            random.FillUniform<T>(a, -T.One, T.One);
            random.FillUniform<T>(w, -T.One, T.One);
            random.FillUniform<T>(c0, -T.One, T.One);
            var batch = (T[])c0.Clone();
            Gemm.Multiply(Transpose.None, Transpose.None, Rows, n, k, alpha, a, k, w, n, beta, batch, n, 1, kind);
            foreach (int threads in new[] { 1, 2, 3, 4 })
            {
                for (int r = 0; r < Rows; r++)
                {
                    T[] row = c0.AsSpan(r * n, n).ToArray();
                    Gemm.Multiply(Transpose.None, Transpose.None, 1, n, k, alpha, a.AsSpan(r * k, k), k, w, n, beta, row, n, threads, kind);
                    FloatAssert.SameBits<T>(row, batch.AsSpan(r * n, n), $"{kind} n={n} k={k} threads={threads}: row {r} alone against the batch");
                }
            }
        }
    }

    private static void Check<T>(GemmKernelKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmBlocking b = GemmBlocking.For<T>(kind);
        const int Rows = 7;
        var random = new SeededRandom(11);
        int[] ns = [.. Enumerable.Range(1, 40), (2 * b.Nr) + 5, (4 * b.Nr) + 3];
        int[] ks = GemmEdgeTests.Distinct(1, 3, 17, b.Kc + 1);
        int checkedRows = 0;
        foreach (int n in ns)
        {
            foreach (int k in ks)
            {
                var a = new T[Rows * k];
                var w = new T[k * n];
                random.FillUniform<T>(a, -T.One, T.One);
                random.FillUniform<T>(w, -T.One, T.One);
                var batch = new T[Rows * n];
                Gemm.Multiply(Transpose.None, Transpose.None, Rows, n, k, T.One, a, k, w, n, T.Zero, batch, n, 1, kind);
                var row = new T[n];
                for (int r = 0; r < Rows; r++)
                {
                    Gemm.Multiply(Transpose.None, Transpose.None, 1, n, k, T.One, a.AsSpan(r * k, k), k, w, n, T.Zero, row, n, 1, kind);
                    FloatAssert.SameBits<T>(row, batch.AsSpan(r * n, n), $"{kind} n={n} k={k}: row {r} alone against the batch");

                    checkedRows++;
                }
            }
        }

        Assert.Equal(ns.Length * ks.Length * Rows, checkedRows);
    }
}
