using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Numerics.GemmKernels;
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
                    for (int j = 0; j < n; j++)
                    {
                        if (!batch[(r * n) + j].Equals(row[j]))
                        {
                            Assert.Fail($"{kind} n={n} k={k}: row {r} column {j} alone gives {row[j]}, in the batch {batch[(r * n) + j]}.");
                        }
                    }

                    checkedRows++;
                }
            }
        }

        Assert.Equal(ns.Length * ks.Length * Rows, checkedRows);
    }
}
