using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>A span kernel with one input.</summary>
internal delegate void UnaryKernel<T>(ReadOnlySpan<T> x, Span<T> destination);

/// <summary>A span kernel with two inputs.</summary>
internal delegate void BinaryKernel<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

/// <summary>A unary kernel, its scalar oracle, the allowed error (0: bitwise), the range of random inputs and the specials to inject.</summary>
internal sealed record UnaryCase<T>(UnaryKernel<T> Kernel, Func<T, T> Reference, long Ulps, double Low, double High, T[] Specials);

/// <summary>
/// A binary kernel, its scalar oracle, the ranges of random inputs and the specials to inject into each input. The
/// oracle is exact unless <paramref name="Ulps"/> is positive: then the result may be off by that many ulps of
/// <paramref name="Scale"/>, the size of the terms it is computed from (which may cancel).
/// </summary>
internal sealed record BinaryCase<T>(BinaryKernel<T> Kernel, Func<T, T, T> Reference, double LowX, double HighX, double LowY, double HighY, T[] SpecialsX, T[] SpecialsY, long Ulps = 0, Func<T, T, T>? Scale = null);

/// <summary>
/// Every element-wise span kernel against a scalar oracle written here, for every length 0..256 and 1000 and 4099,
/// in float and double, with NaN, ±∞, ±0, subnormals and extremes injected, on guarded buffers (a read or write out
/// of bounds faults), in a second placement with a longer destination (whose extra elements must stay untouched),
/// and in place.
/// </summary>
/// <remarks>
/// <para>Exact kernels (arithmetic, sign, the ReLU family, the derivative and backward kernels) must equal the oracle
/// bit for bit: the oracle performs the same IEEE operations in the same order (NaN matches any NaN).</para>
/// <para>Transcendental kernels are compared with the double-precision <see cref="Math"/> functions rounded to the
/// element type: Exp and Log within 2 ulps (the runtime's vector exp/log are documented to ~1 ulp, and the double
/// oracle adds up to one more for double), Sigmoid and Tanh within 4 ulps (1 / (1 + e^-x) rounds three times).</para>
/// <para>Erf, Erfc and GELU, which .NET lacks, are compared with a double-double reference (<see cref="DoubleDouble"/>,
/// about 32 digits) rounded to the element type, within the largest errors measured over 20,000 random points each:
/// double erf 1 ulp, erfc 4 (where its result is normal: the runtime's exp), GELU 5; float, computed in double and
/// rounded, 1 ulp. GELU's backward pass may be off by 4 ulps of the size of its terms, |dy| (Φ(x) + |x| φ(x)), which
/// cancel where the derivative crosses zero. SiLU, computed in double from e^-|x| with no cancellation, within the largest
/// errors measured over 400,000 random points in [-40, 40]: double 4 ulps (the runtime's exp, up to 2 of them, then
/// three roundings), float 1 (measured 0); subnormal results (x from -708 to -745) included. Its backward pass, like
/// GELU's, within 6 (double) or 1 (float) ulps of the size of its terms, |dy| σ(x) (1 + |x| (1 - σ(x))).</para>
/// </remarks>
[Trait("Category", "Kernels")]
public sealed class ElementwiseKernelTests
{
    internal static readonly string[] UnaryKernelNames =
        ["Scale", "ScaleNegative", "Sign", "Relu", "ReluDerivative", "LeakyRelu", "LeakyReluZeroSlope", "LeakyReluDerivative",
         "SigmoidDerivative", "TanhDerivative", "Exp", "Log", "Sigmoid", "Tanh", "Erf", "Erfc", "Gelu", "Silu"];

    internal static readonly string[] BinaryKernelNames =
        ["Add", "Subtract", "Multiply", "SigmoidBackward", "TanhBackward", "ReluBackward", "LeakyReluBackward", "LeakyReluBackwardZeroSlope", "GeluBackward", "SiluBackward"];

    public static TheoryData<string> UnaryNames => new(UnaryKernelNames);

    public static TheoryData<string> BinaryNames => new(BinaryKernelNames);

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void Float_unary_kernel_matches_scalar_reference(string name) => CheckUnary(Unary<float>(name), name);

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void Double_unary_kernel_matches_scalar_reference(string name) => CheckUnary(Unary<double>(name), name);

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void Float_binary_kernel_matches_scalar_reference(string name) => CheckBinary(Binary<float>(name), name);

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void Double_binary_kernel_matches_scalar_reference(string name) => CheckBinary(Binary<double>(name), name);

    [Fact]
    public void Special_values_follow_the_documented_rules()
    {
        float[] x = [float.NaN, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, -2f, 3f];
        float[] d = new float[x.Length];

        Kernels.Relu<float>(x, d);
        Assert.True(float.IsNaN(d[0]), "Relu(NaN) must be NaN.");
        Assert.Equal([0f, 0f, float.PositiveInfinity, 0f, 0f, 3f], d[1..]);
        Assert.False(float.IsNegative(d[2]), "Relu(-0) is +0 (max(-0, +0)).");

        Kernels.Sign<float>(x, d);
        Assert.True(float.IsNaN(d[0]), "Sign(NaN) must be NaN.");
        Assert.True(d[1] == 0f && !float.IsNegative(d[1]), "Sign(+0) must be +0.");
        Assert.True(d[2] == 0f && float.IsNegative(d[2]), "Sign(-0) must be -0.");
        Assert.Equal([1f, -1f, -1f, 1f], d[3..]);

        Kernels.Sigmoid<float>(x, d);
        Assert.True(float.IsNaN(d[0]));
        Assert.Equal(0.5f, d[1]);
        Assert.Equal(1f, d[3]);
        Assert.Equal(0f, d[4]);

        Kernels.Tanh<float>(x, d);
        Assert.True(float.IsNaN(d[0]));
        Assert.True(d[2] == 0f && float.IsNegative(d[2]), "tanh(-0) must be -0.");
        Assert.Equal(1f, d[3]);
        Assert.Equal(-1f, d[4]);

        Kernels.Exp<float>(x, d);
        Assert.True(float.IsNaN(d[0]));
        Assert.Equal([float.PositiveInfinity, 0f], d[3..5]);

        // e^±0 is 1 only to within the stated 2 ulps: TensorPrimitives.Exp (10.0.0) returns 1 + 2^-23 for ±0f.
        Assert.InRange(FloatAssert.UlpDistance(d[1], 1f), 0, 2);
        Assert.InRange(FloatAssert.UlpDistance(d[2], 1f), 0, 2);

        Kernels.Log<float>(x, d);
        Assert.True(float.IsNaN(d[0]) && float.IsNaN(d[5]), "log(NaN) and log(-2) must be NaN.");
        Assert.Equal([float.NegativeInfinity, float.NegativeInfinity, float.PositiveInfinity], d[1..4]);

        // The gradient of ReLU is 0 wherever x <= 0, whatever arrives from above (an infinite or NaN upstream gradient
        // must not leak through a closed unit).
        float[] dy = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1f, float.NaN, float.PositiveInfinity, 2f];
        Kernels.ReluBackward<float>(x, dy, d);
        Assert.Equal([0f, 0f, 0f, 1f, 0f, 0f, 2f], d);
        Assert.All(d, v => Assert.False(float.IsNegative(v), "A ReLU gradient is never -0 or negative here."));
    }

    internal static UnaryCase<T> Unary<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        T[] specials = KernelData.Specials<T>();
        bool single = typeof(T) == typeof(float);
        T slope = T.CreateTruncating(0.01);
        T[] exp = [.. specials, T.CreateTruncating(-100.0), T.CreateTruncating(-745.0), T.CreateTruncating(88.7), T.CreateTruncating(709.8)];
        T[] log = [.. specials, T.CreateTruncating(1e-40), T.CreateTruncating(1e-310), T.CreateTruncating(0.5), T.CreateTruncating(2.0), T.CreateTruncating(1e30)];
        T[] sigmoid = [T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.Zero, T.NegativeZero, T.CreateTruncating(50.0), T.CreateTruncating(-50.0), T.CreateTruncating(80.0), T.CreateTruncating(-80.0), T.Epsilon, -T.Epsilon];
        T[] silu = [.. specials, .. ActivationReference.SiluSpecials<T>()];
        T[] tanh = [T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.Zero, T.NegativeZero, T.CreateTruncating(20.0), T.CreateTruncating(-20.0), T.CreateTruncating(1e-10), T.CreateTruncating(-1e-10), T.Epsilon, -T.Epsilon];
        return name switch
        {
            "Scale" => new((x, d) => Kernels.Scale(x, T.CreateTruncating(0.75), d), x => x * T.CreateTruncating(0.75), 0, -100, 100, specials),
            "ScaleNegative" => new((x, d) => Kernels.Scale(x, T.CreateTruncating(-3.0), d), x => x * T.CreateTruncating(-3.0), 0, -100, 100, specials),
            "Sign" => new(Kernels.Sign, x => x > T.Zero ? T.One : x < T.Zero ? T.NegativeOne : x, 0, -2, 2, specials),
            "Relu" => new(Kernels.Relu, x => T.IsNaN(x) ? x : x > T.Zero ? x : T.Zero, 0, -2, 2, specials),
            "ReluDerivative" => new(Kernels.ReluDerivative, x => x > T.Zero ? T.One : T.Zero, 0, -2, 2, specials),
            "LeakyRelu" => new((x, d) => Kernels.LeakyRelu(x, slope, d), x => x > T.Zero ? x : slope * x, 0, -2, 2, specials),
            "LeakyReluZeroSlope" => new((x, d) => Kernels.LeakyRelu(x, T.Zero, d), x => x > T.Zero ? x : T.Zero * x, 0, -2, 2, specials),
            "LeakyReluDerivative" => new((x, d) => Kernels.LeakyReluDerivative(x, slope, d), x => x > T.Zero ? T.One : slope, 0, -2, 2, specials),
            "SigmoidDerivative" => new(Kernels.SigmoidDerivative, y => y * (T.One - y), 0, 0, 1, specials),
            "TanhDerivative" => new(Kernels.TanhDerivative, y => T.One - (y * y), 0, -1, 1, specials),
            "Exp" => new(Kernels.Exp, x => T.CreateTruncating(Math.Exp(double.CreateTruncating(x))), 2, single ? -87 : -700, single ? 88 : 700, exp),
            "Log" => new(Kernels.Log, x => T.CreateTruncating(Math.Log(double.CreateTruncating(x))), 2, 0, single ? 1e6 : 1e12, log),
            "Sigmoid" => new(Kernels.Sigmoid, x => T.CreateTruncating(1.0 / (1.0 + Math.Exp(-double.CreateTruncating(x)))), 4, -30, 30, sigmoid),
            "Tanh" => new(Kernels.Tanh, x => T.CreateTruncating(Math.Tanh(double.CreateTruncating(x))), 4, -10, 10, tanh),
            "Erf" => new(Kernels.Erf, ActivationReference.Erf, 1, -6, 6, specials),
            "Erfc" => new(Kernels.Erfc, ActivationReference.Erfc, single ? 1 : 4, -6, single ? 9 : 26, specials),
            "Gelu" => new(Kernels.Gelu, ActivationReference.Gelu, single ? 1 : 5, -12, 10, specials),
            "Silu" => new(Kernels.Silu, ActivationReference.Silu, single ? 1 : 4, -20, 20, silu),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    internal static BinaryCase<T> Binary<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        bool single = typeof(T) == typeof(float);
        T[] s = KernelData.Specials<T>();
        T slope = T.CreateTruncating(0.01);
        return name switch
        {
            "Add" => new(Kernels.Add, (x, y) => x + y, -100, 100, -100, 100, s, s),
            "Subtract" => new(Kernels.Subtract, (x, y) => x - y, -100, 100, -100, 100, s, s),
            "Multiply" => new(Kernels.Multiply, (x, y) => x * y, -100, 100, -100, 100, s, s),
            "SigmoidBackward" => new(Kernels.SigmoidBackward, (y, dy) => dy * (y * (T.One - y)), 0, 1, -5, 5, s, s),
            "TanhBackward" => new(Kernels.TanhBackward, (y, dy) => dy * (T.One - (y * y)), -1, 1, -5, 5, s, s),
            "ReluBackward" => new(Kernels.ReluBackward, (x, dy) => x > T.Zero ? dy : T.Zero, -2, 2, -5, 5, s, s),
            "LeakyReluBackward" => new((x, dy, d) => Kernels.LeakyReluBackward(x, slope, dy, d), (x, dy) => x > T.Zero ? dy : slope * dy, -2, 2, -5, 5, s, s),
            "LeakyReluBackwardZeroSlope" => new((x, dy, d) => Kernels.LeakyReluBackward(x, T.Zero, dy, d), (x, dy) => x > T.Zero ? dy : T.Zero * dy, -2, 2, -5, 5, s, s),
            "GeluBackward" => new(Kernels.GeluBackward, ActivationReference.GeluBackward, -8, 8, -5, 5, s, s, 4, ActivationReference.GeluBackwardScale),
            "SiluBackward" => new(Kernels.SiluBackward, ActivationReference.SiluBackward, -20, 20, -5, 5, [.. s, .. ActivationReference.SiluSpecials<T>()], s, single ? 1 : 6, ActivationReference.SiluBackwardScale),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    private static void CheckUnary<T>(UnaryCase<T> c, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sentinel = T.CreateTruncating(-12345.0);
        foreach (int n in KernelData.Lengths)
        {
            string context = $"{name}<{typeof(T).Name}>, length {n}";
            using var x = new GuardedBuffer<T>(n, GuardSide.AfterEnd, sentinel);
            using var d = new GuardedBuffer<T>(n, GuardSide.AfterEnd, sentinel);
            KernelData.Fill(x.Span, (ulong)n, c.Low, c.High, c.Specials);
            T[] input = x.Span.ToArray();
            d.Span.Fill(T.NaN);
            c.Kernel(x.Span, d.Span);
            x.AssertIntact();
            d.AssertIntact();
            FloatAssert.SameBits<T>(x.Span, input, context + ": the input was modified");
            for (int i = 0; i < n; i++)
            {
                CheckElement(d.Span[i], c.Reference(input[i]), c.Ulps, () => $"{context}, x[{i}] = {FloatAssert.Describe(input[i])}");
            }

            // Guards before the start instead, and a longer destination whose tail must stay as it was.
            using var x2 = new GuardedBuffer<T>(n, GuardSide.BeforeStart, sentinel);
            using var d2 = new GuardedBuffer<T>(n + 3, GuardSide.BeforeStart, sentinel);
            input.CopyTo(x2.Span);
            d2.Span.Fill(sentinel);
            c.Kernel(x2.Span, d2.Span);
            x2.AssertIntact();
            d2.AssertIntact();
            if (c.Ulps == 0)
            {
                FloatAssert.SameBits<T>(d2.Span[..n], d.Span, context + ", second placement");
            }
            else
            {
                // Not bitwise: TensorPrimitives recomputes a vector that holds a special value (±∞, |x| beyond the
                // range of its polynomial) with scalar code, and which neighbours share that vector depends on the
                // address (seen for Exp and Sigmoid in double). Those neighbours may differ by the ulps allowed.
                for (int i = 0; i < n; i++)
                {
                    CheckElement(d2.Span[i], c.Reference(input[i]), c.Ulps, () => $"{context}, second placement, x[{i}] = {FloatAssert.Describe(input[i])}");
                }
            }

            FloatAssert.SameBits<T>(d2.Span[n..], [sentinel, sentinel, sentinel], context + ": elements past the input length were written");

            // In place.
            using var p = new GuardedBuffer<T>(n, GuardSide.AfterEnd, sentinel);
            input.CopyTo(p.Span);
            c.Kernel(p.Span, p.Span);
            p.AssertIntact();
            FloatAssert.SameBits<T>(p.Span, d.Span, context + ", in place");
        }
    }

    private static void CheckBinary<T>(BinaryCase<T> c, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sentinel = T.CreateTruncating(-12345.0);
        foreach (int n in KernelData.Lengths)
        {
            string context = $"{name}<{typeof(T).Name}>, length {n}";
            using var x = new GuardedBuffer<T>(n, GuardSide.AfterEnd, sentinel);
            using var y = new GuardedBuffer<T>(n, GuardSide.BeforeStart, sentinel);
            using var d = new GuardedBuffer<T>(n, GuardSide.AfterEnd, sentinel);
            KernelData.Fill(x.Span, (ulong)n, c.LowX, c.HighX, c.SpecialsX, every: 3, phase: 1);
            KernelData.Fill(y.Span, (ulong)n + 1000, c.LowY, c.HighY, c.SpecialsY, every: 4, phase: 2);
            T[] xs = x.Span.ToArray();
            T[] ys = y.Span.ToArray();
            d.Span.Fill(T.NaN);
            c.Kernel(x.Span, y.Span, d.Span);
            x.AssertIntact();
            y.AssertIntact();
            d.AssertIntact();
            FloatAssert.SameBits<T>(x.Span, xs, context + ": x was modified");
            FloatAssert.SameBits<T>(y.Span, ys, context + ": y was modified");
            for (int i = 0; i < n; i++)
            {
                T expected = c.Reference(xs[i], ys[i]);
                int at = i;
                string Where() => $"{context}, x[{at}] = {FloatAssert.Describe(xs[at])}, y[{at}] = {FloatAssert.Describe(ys[at])}";
                if (c.Ulps == 0 || !T.IsFinite(expected))
                {
                    CheckElement(d.Span[i], expected, 0, Where);
                }
                else
                {
                    double bound = c.Ulps * FloatAssert.Ulp(c.Scale!(xs[i], ys[i]));
                    double error = Math.Abs(double.CreateTruncating(d.Span[i]) - double.CreateTruncating(expected));
                    Assert.True(error <= bound, $"{Where()}: got {FloatAssert.Describe(d.Span[i])}, expected {FloatAssert.Describe(expected)} within {c.Ulps} ulps of {c.Scale!(xs[i], ys[i])} ({bound:E3}), off by {error:E3}.");
                }
            }

            // The other guard placements, and a longer destination whose tail must stay as it was.
            using var x2 = new GuardedBuffer<T>(n, GuardSide.BeforeStart, sentinel);
            using var y2 = new GuardedBuffer<T>(n, GuardSide.AfterEnd, sentinel);
            using var d2 = new GuardedBuffer<T>(n + 3, GuardSide.BeforeStart, sentinel);
            xs.CopyTo(x2.Span);
            ys.CopyTo(y2.Span);
            d2.Span.Fill(sentinel);
            c.Kernel(x2.Span, y2.Span, d2.Span);
            d2.AssertIntact();
            FloatAssert.SameBits<T>(d2.Span[..n], d.Span, context + ", second placement");
            FloatAssert.SameBits<T>(d2.Span[n..], [sentinel, sentinel, sentinel], context + ": elements past the input length were written");

            // In place over x, then over y.
            using var p = new GuardedBuffer<T>(n, GuardSide.AfterEnd, sentinel);
            xs.CopyTo(p.Span);
            c.Kernel(p.Span, ys, p.Span);
            FloatAssert.SameBits<T>(p.Span, d.Span, context + ", in place over x");
            ys.CopyTo(p.Span);
            c.Kernel(xs, p.Span, p.Span);
            FloatAssert.SameBits<T>(p.Span, d.Span, context + ", in place over y");
            p.AssertIntact();
        }
    }

    /// <summary>Exact (ulps = 0): the same bits, NaN matching NaN. Otherwise within the given ulps, with NaN and the
    /// infinities matching exactly.</summary>
    internal static void CheckElement<T>(T actual, T expected, long ulps, Func<string> context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool ok = ulps == 0
            ? FloatAssert.SameBits(actual, expected)
            : (T.IsFinite(expected) ? FloatAssert.UlpDistance(actual, expected) <= ulps : FloatAssert.SameBits(actual, expected));
        if (!ok)
        {
            Assert.Fail($"{context()}: got {FloatAssert.Describe(actual)}, expected {FloatAssert.Describe(expected)}"
                + (ulps == 0 ? " exactly." : $" within {ulps} ulps (off by {FloatAssert.UlpDistance(actual, expected)})."));
        }
    }
}
