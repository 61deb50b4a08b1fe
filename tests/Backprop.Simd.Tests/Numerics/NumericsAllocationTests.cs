using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>After warm-up (pooled packing buffers, worker threads) a GEMM call and a kernel call allocate nothing.</summary>
[Collection(AllocationCounting.Name)]
[Trait("Category", "Kernels")]
public sealed class NumericsAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Float_gemm_allocates_nothing_after_warm_up(int threads) => GemmAllocatesNothing<float>(threads);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Double_gemm_allocates_nothing_after_warm_up(int threads) => GemmAllocatesNothing<double>(threads);

    [Fact]
    public void Kernels_allocate_nothing()
    {
        const int N = 1031;
        float[] x = Enumerable.Range(0, N).Select(i => (i % 17) / 8f - 1).ToArray();
        float[] y = Enumerable.Reverse(x).ToArray();
        float[] destination = new float[N];
        var matrix = new Matrix<float>(13, 79);
        var probabilities = new Matrix<float>(13, 79);
        float[] bias = new float[79];
        int[] labels = new int[13];

        Allocations.AssertNone("Sigmoid", 20, () => Kernels.Sigmoid<float>(x, destination));
        Allocations.AssertNone("Tanh", 20, () => Kernels.Tanh<float>(x, destination));
        Allocations.AssertNone("ReluBackward", 20, () => Kernels.ReluBackward<float>(x, y, destination));
        Allocations.AssertNone("LeakyRelu", 20, () => Kernels.LeakyRelu<float>(x, 0.01f, destination));
        Allocations.AssertNone("Multiply", 20, () => Kernels.Multiply<float>(x, y, destination));
        Allocations.AssertNone("Axpy", 20, () => Kernels.Axpy<float>(0.5f, x, destination));
        Allocations.AssertNone("AddL1Gradient", 20, () => Kernels.AddL1Gradient<float>(x, 0.1f, destination));
        Allocations.AssertNone("SumOfSquares", 20, () => Kernels.SumOfSquares<float>(x));
        Allocations.AssertNone("Softmax", 20, () => Kernels.Softmax<float>(x, destination));
        Allocations.AssertNone("LogSoftmax", 20, () => Kernels.LogSoftmax<float>(x, destination));
        Allocations.AssertNone("AddBias", 20, () => Kernels.AddBias<float>(matrix, bias));
        Allocations.AssertNone("AddColumnSums", 20, () => Kernels.AddColumnSums<float>(matrix, bias));
        Allocations.AssertNone("SoftmaxRows", 20, () => Kernels.SoftmaxRows<float>(matrix, probabilities));
        Allocations.AssertNone("ArgMaxRows", 20, () => Kernels.ArgMaxRows<float>(matrix, labels));
    }

    /// <summary>Shapes large enough to run on several threads, one that stays on one, a single row and a skinny (Cᵀ) product; every transpose pair.</summary>
    private static void GemmAllocatesNothing<T>(int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach ((int m, int n, int k) in new[] { (131, 257, 97), (7, 9, 5), (1, 4099, 300), (2053, 10, 103) })
        {
            var random = new SeededRandom(7);
            var a = new T[m * k];
            var b = new T[k * n];
            var c = new T[m * n];
            random.FillUniform<T>(a, T.NegativeOne, T.One);
            random.FillUniform<T>(b, T.NegativeOne, T.One);
            foreach (Transpose ta in new[] { Transpose.None, Transpose.Transposed })
            {
                foreach (Transpose tb in new[] { Transpose.None, Transpose.Transposed })
                {
                    int lda = ta == Transpose.None ? k : m, ldb = tb == Transpose.None ? n : k;
                    Allocations.AssertNone(
                        $"{typeof(T).Name} {m}x{n}x{k} {ta}/{tb} on {threads} threads",
                        20,
                        () => Gemm.Multiply(ta, tb, m, n, k, T.One, a, lda, b, ldb, T.Zero, c, n, threads));
                }
            }
        }
    }
}
