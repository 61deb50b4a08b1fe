using System.Numerics;
using BenchmarkDotNet.Attributes;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// GEMM on every shape of <see cref="GemmShape.All"/>, float and double, on one thread and on all of them.
/// GFLOP/s = <see cref="GemmShape.Flops"/> / mean time; <c>gemm</c> (QuickGemm) prints it directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class GemmBenchmarks<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _a = [];
    private T[] _b = [];
    private T[] _c = [];

    /// <summary>The problem.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.Squares().First();

    /// <summary>1, or 0 for every processor.</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    /// <summary>The shapes BenchmarkDotNet iterates.</summary>
    public static IEnumerable<GemmShape> Shapes() => GemmShape.All();

    /// <summary>Random operands; C filled with NaN to show that beta = 0 never reads it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(42);
        _a = new T[Shape.M * Shape.K];
        _b = new T[Shape.K * Shape.N];
        _c = new T[Shape.M * Shape.N];
        random.FillUniform<T>(_a, -T.One, T.One);
        random.FillUniform<T>(_b, -T.One, T.One);
        _c.AsSpan().Fill(T.NaN);
    }

    /// <summary>One product, <c>C = op(A) op(B)</c>.</summary>
    [Benchmark]
    public void Multiply()
    {
        GemmShape s = Shape;
        int lda = s.TransposeA == Transpose.Transposed ? s.M : s.K;
        int ldb = s.TransposeB == Transpose.Transposed ? s.K : s.N;
        Gemm.Multiply(s.TransposeA, s.TransposeB, s.M, s.N, s.K, T.One, _a, lda, _b, ldb, T.Zero, _c, s.N, Threads);
    }
}
