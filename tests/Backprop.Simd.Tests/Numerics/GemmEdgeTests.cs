using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// The GEMM edges of every kernel path (docs/gemm.md): m and n around MR and NR, k around KC (one, two and three
/// K blocks), m around MC and n around NC on the native path, each with all four transpose pairs, alpha in {1, 0.5}
/// and beta in {0 (C prefilled with NaN), 1, 0.25}, on guarded buffers with padded leading dimensions.
/// </summary>
/// <remarks>
/// Paths the hardware does not accelerate run on .NET's software vectors, exact but slower (in the
/// DOTNET_EnableHWIntrinsic=0 run, three of the four paths). The shapes here are small enough that every path gets
/// every alpha/beta pair for every shape and transpose pair (about 7 s for the whole class with
/// DOTNET_EnableHWIntrinsic=0 on a Zen 3 core); the full m x n x k grid is in <see cref="GemmEdgeHeavyTests"/>.
/// </remarks>
[Trait("Category", "Kernels")]
public sealed class GemmEdgeTests
{
    private static readonly (double Alpha, double Beta)[] s_scalings =
        [(1.0, 0.0), (0.5, 1.0), (1.0, 0.25), (0.5, 0.0), (1.0, 1.0), (0.5, 0.25)];

    private static readonly (bool A, bool B)[] s_transposes = [(false, false), (true, false), (false, true), (true, true)];

    /// <summary>The kernel paths by name (the enum is internal, and xunit needs public parameter types).</summary>
    public static TheoryData<string> Kinds => new(GemmHarness.AllKinds.Select(k => k.ToString()));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Float_m_and_n_around_the_register_tile(string kind) => TileEdges<float>(Enum.Parse<GemmKernelKind>(kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Double_m_and_n_around_the_register_tile(string kind) => TileEdges<double>(Enum.Parse<GemmKernelKind>(kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Float_k_around_the_k_block(string kind) => DepthEdges<float>(Enum.Parse<GemmKernelKind>(kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Double_k_around_the_k_block(string kind) => DepthEdges<double>(Enum.Parse<GemmKernelKind>(kind));

    [Fact]
    public void Float_native_path_m_around_MC_and_n_around_NC() => CacheBlockEdges<float>();

    [Fact]
    public void Double_native_path_m_around_MC_and_n_around_NC() => CacheBlockEdges<double>();

    /// <summary>m in {1, 2, MR-1, MR, MR+1, 2MR+1}, n in {1, MR-1, MR+1, NR-1, NR, NR+1, 2NR+1}, plus a shape the engine
    /// computes as Cᵀ where it rewrites any for this tile (n near MR with a wide tile), k = 17.</summary>
    private static void TileEdges<T>(GemmKernelKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmBlocking b = GemmBlocking.For<T>(kind);
        int[] ms = Distinct(1, 2, b.Mr - 1, b.Mr, b.Mr + 1, (2 * b.Mr) + 1);
        int[] ns = Distinct(1, b.Mr - 1, b.Mr + 1, b.Nr - 1, b.Nr, b.Nr + 1, (2 * b.Nr) + 1);
        var shapes = new List<(int M, int N, int K)>();
        foreach (int m in ms)
        {
            foreach (int n in ns)
            {
                shapes.Add((m, n, 17));
            }
        }

        // Where the engine rewrites some products of this tile as Cᵀ (tiles much wider than tall), one of them too.
        (int M, int N)[] swapped = [.. Enumerable.Range(2, 4 * b.Mr).SelectMany(m => Enumerable.Range(2, 4 * b.Nr).Select(n => (m, n))).Where(s => b.IsSwapped<T>(s.m, s.n))];
        if (swapped.Length > 0)
        {
            shapes.Add((swapped[0].M, swapped[0].N, 17));
        }

        Assert.Contains(shapes, s => !b.IsSwapped<T>(s.M, s.N));
        Sweep<T>(kind, shapes, seed: 1);
    }

    /// <summary>k in {KC-1, KC, KC+1, 2KC+1}: one block, exactly one, two balanced blocks, three; m = MR+1, n = NR+1.</summary>
    private static void DepthEdges<T>(GemmKernelKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmBlocking b = GemmBlocking.For<T>(kind);
        var shapes = Distinct(b.Kc - 1, b.Kc, b.Kc + 1, (2 * b.Kc) + 1).Select(k => (b.Mr + 1, b.Nr + 1, k)).ToList();
        if (GemmHarness.IsAccelerated(kind))
        {
            // A single row (the matrix-vector path, which blocks K the same way) and a two-tile-wide product.
            shapes.AddRange(Distinct(b.Kc - 1, b.Kc + 1, (2 * b.Kc) + 1).Select(k => (1, (2 * b.Nr) + 1, k)));
            shapes.AddRange(Distinct(b.Kc, (2 * b.Kc) + 1).Select(k => ((2 * b.Mr) + 1, (2 * b.Nr) - 1, k)));
        }

        Sweep<T>(kind, shapes, seed: 2);
    }

    /// <summary>The native path only (the others' MC and NC are large products in software): m in {MC-1, MC, MC+1, 2MC+1} at n = 8NR+1,
    /// n in {NC-1, NC, NC+1} at m = 2MR+1, k = 9; the shapes are checked not to be rewritten as Cᵀ, which would turn
    /// the M edges into N edges.</summary>
    private static void CacheBlockEdges<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmKernelKind kind = GemmBlocking.Native;
        GemmBlocking b = GemmBlocking.For<T>(kind);
        var shapes = new List<(int M, int N, int K)>();
        shapes.AddRange(Distinct(b.Mc - 1, b.Mc, b.Mc + 1, (2 * b.Mc) + 1).Select(m => (m, (8 * b.Nr) + 1, 9)));
        shapes.AddRange(Distinct(b.Nc - 1, b.Nc, b.Nc + 1).Select(n => ((2 * b.Mr) + 1, n, 9)));
        Assert.All(shapes, s => Assert.False(b.IsSwapped<T>(s.M, s.N), $"{s} would be computed as Cᵀ."));
        Sweep<T>(kind, shapes, seed: 3);
    }

    internal static void Sweep<T>(GemmKernelKind kind, List<(int M, int N, int K)> shapes, ulong seed, bool allScalings = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rotation = 0;
        int runs = 0;
        var seen = new HashSet<(double, double)>();
        foreach ((int m, int n, int k) in shapes)
        {
            foreach ((bool transA, bool transB) in s_transposes)
            {
                int count = allScalings ? s_scalings.Length : 1;
                for (int s = 0; s < count; s++)
                {
                    (double alpha, double beta) = s_scalings[allScalings ? s : rotation++ % s_scalings.Length];
                    seen.Add((alpha, beta));

                    // Padding and guard placement vary with the run, so strided and contiguous operands both meet the edges.
                    int pad = runs % 3 == 0 ? 0 : runs % 3 == 1 ? 1 : 7;
                    GuardSide side = runs % 2 == 0 ? GuardSide.AfterEnd : GuardSide.BeforeStart;
                    var g = new GemmCase(m, n, k, transA, transB, pad, (pad + 3) % 8, pad == 0 ? 5 : 0, alpha, beta, seed + (ulong)runs);
                    GemmHarness.RunAndCheck<T>(g, kind, threads: 1, side);
                    runs++;
                }
            }
        }

        Assert.Equal(s_scalings.Length, seen.Count);
    }

    internal static int[] Distinct(params int[] values) => values.Where(v => v > 0).Distinct().Order().ToArray();
}
