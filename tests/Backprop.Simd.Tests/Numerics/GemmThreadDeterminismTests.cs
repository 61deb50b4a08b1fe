using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// GEMM gives the same bits for 1, 2, 3 and 4 threads: threads split C, never the sum over K. The shapes are odd and
/// large enough that the engine really cuts C into as many blocks as threads were asked for (checked first), including
/// a single row (the matrix-vector path, split by columns), a skinny product (computed as Cᵀ) and several K blocks.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class GemmThreadDeterminismTests
{
    private static readonly (int M, int N, int K)[] s_shapes = [(97, 223, 97), (1, 4099, 601), (2053, 10, 103), (41, 89, 601)];

    private static readonly (bool A, bool B)[] s_transposes = [(false, false), (true, false), (false, true), (true, true)];

    public static TheoryData<string> AcceleratedKinds => new(GemmHarness.AllKinds.Where(GemmHarness.IsAccelerated).Select(k => k.ToString()));

    [Theory]
    [MemberData(nameof(AcceleratedKinds))]
    public void Float_gemm_is_bitwise_identical_for_1_to_4_threads(string kind) => SameBitsForEveryThreadCount<float>(Enum.Parse<GemmKernelKind>(kind));

    [Theory]
    [MemberData(nameof(AcceleratedKinds))]
    public void Double_gemm_is_bitwise_identical_for_1_to_4_threads(string kind) => SameBitsForEveryThreadCount<double>(Enum.Parse<GemmKernelKind>(kind));

    private static void SameBitsForEveryThreadCount<T>(GemmKernelKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmBlocking blocking = GemmBlocking.For<T>(kind);
        ulong seed = 1;
        foreach ((int m, int n, int k) in s_shapes)
        {
            for (int threads = 2; threads <= 4; threads++)
            {
                Assert.True(
                    blocking.PlannedPartitions<T>(m, n, k, threads) == threads,
                    $"{kind} {m}x{n}x{k}: the engine would not split C into {threads} blocks, so the test would prove nothing.");
            }

            foreach ((bool transA, bool transB) in s_transposes)
            {
                // Leading dimensions one wider than needed: strided operands, as the layers' views are.
                int lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 1, ldc = n + 1;
                T[] a = Random<T>(((transA ? k : m) - 1) * lda + (transA ? m : k), seed++);
                T[] b = Random<T>(((transB ? n : k) - 1) * ldb + (transB ? k : n), seed++);
                T[] initialC = Random<T>(((m - 1) * ldc) + n, seed++);
                T[]? single = null;
                for (int threads = 1; threads <= 4; threads++)
                {
                    T[] c = initialC.ToArray();
                    Gemm.Multiply(
                        transA ? Transpose.Transposed : Transpose.None,
                        transB ? Transpose.Transposed : Transpose.None,
                        m, n, k, T.CreateTruncating(0.75), a, lda, b, ldb, T.CreateTruncating(0.5), c, ldc, threads, kind);
                    if (single is null)
                    {
                        single = c;
                    }
                    else
                    {
                        FloatAssert.SameBits<T>(c, single, $"{kind} {typeof(T).Name} {m}x{n}x{k} {(transA ? "T" : "N")}{(transB ? "T" : "N")}, {threads} threads vs 1");
                    }
                }
            }
        }
    }

    private static T[] Random<T>(int length, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        new SeededRandom(seed).FillUniform<T>(values, T.NegativeOne, T.One);
        return values;
    }
}
