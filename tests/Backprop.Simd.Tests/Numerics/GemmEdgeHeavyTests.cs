using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// The heavy companion of <see cref="GemmEdgeTests"/>, in the default run only (category KernelsHeavy, not Kernels,
/// so the reruns with instruction sets switched off skip it).
/// </summary>
[Trait("Category", "KernelsHeavy")]
public sealed class GemmEdgeHeavyTests
{
    /// <summary>
    /// The full grid m x n x k of <see cref="GemmEdgeTests"/>'s edge values (plus k = 1) on every path, each shape with all four transpose pairs and a
    /// rotating alpha/beta pair: about 700 products per path and type, too slow for the software-vector reruns.
    /// </summary>
    [Theory]
    [MemberData(nameof(GemmEdgeTests.Kinds), MemberType = typeof(GemmEdgeTests))]
    public void Float_full_edge_grid(string kind) => FullGrid<float>(Enum.Parse<GemmKernelKind>(kind));

    [Theory]
    [MemberData(nameof(GemmEdgeTests.Kinds), MemberType = typeof(GemmEdgeTests))]
    public void Double_full_edge_grid(string kind) => FullGrid<double>(Enum.Parse<GemmKernelKind>(kind));

    private static void FullGrid<T>(GemmKernelKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmBlocking b = GemmBlocking.For<T>(kind);
        var shapes = new List<(int M, int N, int K)>();
        foreach (int m in GemmEdgeTests.Distinct(1, 2, b.Mr - 1, b.Mr, b.Mr + 1, (2 * b.Mr) + 1))
        {
            foreach (int n in GemmEdgeTests.Distinct(1, b.Mr - 1, b.Mr + 1, b.Nr - 1, b.Nr, b.Nr + 1, (2 * b.Nr) + 1))
            {
                foreach (int k in GemmEdgeTests.Distinct(1, b.Kc - 1, b.Kc, b.Kc + 1, (2 * b.Kc) + 1))
                {
                    shapes.Add((m, n, k));
                }
            }
        }

        GemmEdgeTests.Sweep<T>(kind, shapes, seed: 4, allScalings: false);
    }
}
