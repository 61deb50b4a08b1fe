using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>Random GEMM cases against the double-precision triple loop, on every kernel path.</summary>
[Trait("Category", "Kernels")]
public sealed class GemmPropertyTests
{
    private static readonly double[] s_alphas = [1.0, 0.5, -2.0, 0.0];
    private static readonly double[] s_betas = [0.0, 1.0, 0.25];

    private static Arbitrary<GemmCase> Cases(int maxDimension) =>
        (from m in Gen.Choose(0, maxDimension)
         from n in Gen.Choose(0, maxDimension)
         from k in Gen.Choose(0, maxDimension)
         from transA in Gen.Elements(false, true)
         from transB in Gen.Elements(false, true)
         from padA in Gen.Elements(0, 0, 1, 3, 17)
         from padB in Gen.Elements(0, 0, 1, 5)
         from padC in Gen.Elements(0, 0, 2, 9)
         from alpha in Gen.Elements(s_alphas)
         from beta in Gen.Elements(s_betas)
         from seed in Gen.Choose(0, int.MaxValue)
         select new GemmCase(m, n, k, transA, transB, padA, padB, padC, alpha, beta, (ulong)seed)).ToArbitrary();

    /// <summary>The accelerated paths (the one in use included) on shapes up to 300 and both guard placements.</summary>
    [Property(MaxTest = 40)]
    public Property Float_accelerated_paths_match_reference() => Prop.ForAll(Cases(300), g => RunAccelerated<float>(g));

    [Property(MaxTest = 25)]
    public Property Double_accelerated_paths_match_reference() => Prop.ForAll(Cases(300), g => RunAccelerated<double>(g));

    /// <summary>Paths the hardware does not accelerate run on software vectors: smaller shapes keep them quick.</summary>
    [Property(MaxTest = 20)]
    public Property Float_emulated_paths_match_reference() => Prop.ForAll(Cases(40), g => RunEmulated<float>(g));

    [Property(MaxTest = 20)]
    public Property Double_emulated_paths_match_reference() => Prop.ForAll(Cases(40), g => RunEmulated<double>(g));

    private static void RunAccelerated<T>(GemmCase g)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (GemmKernelKind kind in GemmHarness.AllKinds.Where(GemmHarness.IsAccelerated))
        {
            GemmHarness.RunAndCheck<T>(g, kind, threads: 1, GuardSide.AfterEnd);
            GemmHarness.RunAndCheck<T>(g, kind, threads: 3, GuardSide.BeforeStart);
        }
    }

    private static void RunEmulated<T>(GemmCase g)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (GemmKernelKind kind in GemmHarness.AllKinds.Where(k => !GemmHarness.IsAccelerated(k)))
        {
            GemmHarness.RunAndCheck<T>(g, kind, threads: 1, GuardSide.AfterEnd);
        }
    }
}
