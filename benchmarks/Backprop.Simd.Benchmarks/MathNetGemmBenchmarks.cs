using BenchmarkDotNet.Attributes;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// The .NET baseline people use today: MathNet.Numerics' managed matrix product (its default provider without the
/// native MKL/OpenBLAS packages), float and double, on the square and batch-128 MLP shapes (2048² takes tens of
/// seconds per call and is left out).
/// </summary>
[MemoryDiagnoser]
public class MathNetGemmBenchmarks
{
    private Matrix<float> _a32 = null!;
    private Matrix<float> _b32 = null!;
    private Matrix<float> _c32 = null!;
    private Matrix<double> _a64 = null!;
    private Matrix<double> _b64 = null!;
    private Matrix<double> _c64 = null!;

    /// <summary>The problem.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.Squares().First();

    /// <summary>The shapes BenchmarkDotNet iterates.</summary>
    public static IEnumerable<GemmShape> Shapes() => GemmShape.Squares().Where(s => s.M <= 1024).Concat(GemmShape.Mlp(128));

    /// <summary>Random operands of op(A), op(B) shape (MathNet transposes with TransposeThisAndMultiply and friends).</summary>
    [GlobalSetup]
    public void Setup()
    {
        Control.UseManaged();
        var random = new System.Random(42);
        _a64 = Matrix<double>.Build.Dense(Shape.M, Shape.K, (_, _) => random.NextDouble() - 0.5);
        _b64 = Matrix<double>.Build.Dense(Shape.K, Shape.N, (_, _) => random.NextDouble() - 0.5);
        _c64 = Matrix<double>.Build.Dense(Shape.M, Shape.N);
        _a32 = _a64.Map(v => (float)v);
        _b32 = _b64.Map(v => (float)v);
        _c32 = Matrix<float>.Build.Dense(Shape.M, Shape.N);
    }

    /// <summary>float product into a preallocated result.</summary>
    [Benchmark]
    public void MultiplyFloat() => _a32.Multiply(_b32, _c32);

    /// <summary>double product into a preallocated result.</summary>
    [Benchmark]
    public void MultiplyDouble() => _a64.Multiply(_b64, _c64);
}
