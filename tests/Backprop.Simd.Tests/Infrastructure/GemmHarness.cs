using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>One GEMM test case: shapes, transposes, row padding of each operand (strided views), alpha, beta.</summary>
public sealed record GemmCase(int M, int N, int K, bool TransA, bool TransB, int PadA, int PadB, int PadC, double Alpha, double Beta, ulong Seed)
{
    public override string ToString() =>
        $"{M}x{N}x{K} {(TransA ? "T" : "N")}{(TransB ? "T" : "N")} pad({PadA},{PadB},{PadC}) alpha={Alpha} beta={Beta} seed={Seed}";
}

/// <summary>Runs a GEMM case on guarded buffers and checks it against the double-precision triple loop.</summary>
internal static class GemmHarness
{
    /// <summary>The kernel paths this machine runs natively; the others run on .NET's software vectors (slow, still exact).</summary>
    public static bool IsAccelerated(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
        GemmKernelKind.Vector256 => System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated,
        GemmKernelKind.Vector128 => System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated,
        _ => true,
    };

    public static readonly GemmKernelKind[] AllKinds =
        [GemmKernelKind.Vector512, GemmKernelKind.Vector256, GemmKernelKind.Vector128, GemmKernelKind.Scalar];

    /// <summary>Runs the case and returns C (with its row gaps); asserts the result, the untouched gaps and the guards.</summary>
    public static T[] RunAndCheck<T>(GemmCase g, GemmKernelKind kind, int threads, GuardSide side = GuardSide.AfterEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int aRows = g.TransA ? g.K : g.M, aCols = g.TransA ? g.M : g.K;
        int bRows = g.TransB ? g.N : g.K, bCols = g.TransB ? g.K : g.N;
        int lda = Math.Max(1, aCols + g.PadA), ldb = Math.Max(1, bCols + g.PadB), ldc = Math.Max(1, g.N + g.PadC);
        using var a = new GuardedBuffer<T>(Length(aRows, aCols, lda), side, T.NaN);
        using var b = new GuardedBuffer<T>(Length(bRows, bCols, ldb), side, T.NaN);
        using var c = new GuardedBuffer<T>(Length(g.M, g.N, ldc), side, T.NaN);
        var random = new SeededRandom(g.Seed);
        random.FillUniform(a.Span, T.CreateTruncating(-1.0), T.One);
        random.FillUniform(b.Span, T.CreateTruncating(-1.0), T.One);
        T sentinel = T.CreateTruncating(12345.0);
        if (g.Beta == 0)
        {
            c.Span.Fill(T.NaN);
        }
        else
        {
            random.FillUniform(c.Span, T.CreateTruncating(-1.0), T.One);
        }

        MarkGaps(c.Span, g.M, g.N, ldc, sentinel);
        var (expected, scale) = ReferenceGemm.Compute<T>(g.TransA, g.TransB, g.M, g.N, g.K, g.Alpha, a.Span, lda, b.Span, ldb, g.Beta, c.Span, ldc);

        Gemm.Multiply(
            g.TransA ? Transpose.Transposed : Transpose.None,
            g.TransB ? Transpose.Transposed : Transpose.None,
            g.M, g.N, g.K, T.CreateTruncating(g.Alpha), a.Span, lda, b.Span, ldb, T.CreateTruncating(g.Beta), c.Span, ldc, threads, kind);

        a.AssertIntact();
        b.AssertIntact();
        c.AssertIntact();
        double tolerance = (g.K + 4) * ReferenceGemm.Epsilon<T>();
        for (int i = 0; i < g.M; i++)
        {
            for (int j = 0; j < g.N; j++)
            {
                double actual = double.CreateTruncating(c.Span[(i * ldc) + j]);
                double want = expected[(i * g.N) + j];
                double bound = (tolerance * scale[(i * g.N) + j]) + double.Epsilon;
                if (!(Math.Abs(actual - want) <= bound))
                {
                    Assert.Fail($"{kind} {typeof(T).Name} {g}: C[{i},{j}] = {actual}, expected {want} ± {bound}.");
                }
            }

            for (int j = g.N; g.N > 0 && i < g.M - 1 && j < ldc; j++)
            {
                Assert.True(c.Span[(i * ldc) + j] == sentinel, $"{kind} {g}: the gap element C[{i},{j}] beyond the view was written.");
            }
        }

        return c.Span.ToArray();
    }

    private static int Length(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : ((rows - 1) * ld) + cols;

    private static void MarkGaps<T>(Span<T> c, int m, int n, int ldc, T sentinel)
    {
        for (int i = 0; n > 0 && i < m - 1; i++)
        {
            c.Slice((i * ldc) + n, ldc - n).Fill(sentinel);
        }
    }
}
