using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// Sum, SumOfSquares, SumOfMagnitudes and Axpy for every length 0..256, 1000 and 4099, float and double, on guarded
/// buffers.
/// </summary>
/// <remarks>
/// A sum's rounding depends on its order, so the reductions are compared with the exact sum (in double, exact for
/// float terms and to 2^-53 relative for double ones) within the classic worst-case bound for n terms in any order,
/// (n + 1) eps Σ |term|. Their order must however be fixed: the same values at any address give the same bits.
/// </remarks>
[Trait("Category", "Kernels")]
public sealed class ReductionKernelTests
{
    public static TheoryData<string> Reductions => new(["Sum", "SumOfSquares", "SumOfMagnitudes"]);

    [Theory]
    [MemberData(nameof(Reductions))]
    public void Float_reduction_matches_the_exact_sum(string name) => CheckReduction<float>(name);

    [Theory]
    [MemberData(nameof(Reductions))]
    public void Double_reduction_matches_the_exact_sum(string name) => CheckReduction<double>(name);

    [Fact]
    public void Reductions_of_special_values()
    {
        Assert.Equal(0f, Kernels.Sum<float>([]));
        Assert.Equal(0.0, Kernels.SumOfSquares<double>([]));
        Assert.Equal(0f, Kernels.SumOfMagnitudes<float>([]));
        Assert.True(float.IsNaN(Kernels.Sum<float>([1f, float.PositiveInfinity, 2f, float.NegativeInfinity])));
        Assert.Equal(float.PositiveInfinity, Kernels.SumOfSquares<float>([1f, float.PositiveInfinity, 2f, float.NegativeInfinity]));
        Assert.Equal(double.PositiveInfinity, Kernels.SumOfMagnitudes<double>([1.0, double.NegativeInfinity, -2.0]));
        Assert.Equal(float.PositiveInfinity, Kernels.SumOfSquares<float>([3e20f, 3e20f]));
    }

    [Fact]
    public void Float_axpy_matches_scalar_reference() => CheckAxpy<float>();

    [Fact]
    public void Double_axpy_matches_scalar_reference() => CheckAxpy<double>();

    private static void CheckReduction<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        Func<ReadOnlySpan<T>, T> kernel = name switch
        {
            "Sum" => x => Kernels.Sum(x),
            "SumOfSquares" => x => Kernels.SumOfSquares(x),
            _ => x => Kernels.SumOfMagnitudes(x),
        };
        Func<double, double> term = name switch
        {
            "Sum" => v => v,
            "SumOfSquares" => v => v * v,
            _ => Math.Abs,
        };
        double eps = ReferenceGemm.Epsilon<T>();
        T[] specials = [T.NaN, T.PositiveInfinity, T.NegativeInfinity];
        foreach (int n in KernelData.Lengths)
        {
            string context = $"{name}<{typeof(T).Name}>, length {n}";
            using var x = new GuardedBuffer<T>(n, n % 2 == 0 ? GuardSide.AfterEnd : GuardSide.BeforeStart, T.NaN);
            KernelData.Fill(x.Span, (ulong)n, -100, 100, []);

            double exact = 0, magnitude = 0;
            foreach (T v in x.Span)
            {
                double t = term(double.CreateTruncating(v));
                exact += t;
                magnitude += Math.Abs(t);
            }

            T actual = kernel(x.Span);
            double bound = (n + 1) * eps * magnitude;
            Assert.True(Math.Abs(double.CreateTruncating(actual) - exact) <= bound, $"{context}: got {actual}, exact {exact} ± {bound}.");

            // The same values at other addresses (every alignment within 64 bytes): the same bits.
            T[] shifted = new T[n + 16];
            for (int offset = 1; offset < 16; offset += 3)
            {
                x.Span.CopyTo(shifted.AsSpan(offset));
                Assert.True(FloatAssert.SameBits(kernel(shifted.AsSpan(offset, n)), actual), $"{context}: the sum depends on the address (offset {offset}).");
            }

            // One special value, or +∞ and -∞ together, anywhere: the result classifies as IEEE says.
            if (n > 0)
            {
                int at = (n * 7) % n;
                x.Span[at] = specials[n % specials.Length];
                if (n > 1 && n % 5 == 0)
                {
                    x.Span[(at + 1) % n] = T.IsNaN(x.Span[at]) ? T.NaN : -x.Span[at];
                }

                double expected = 0;
                foreach (T v in x.Span)
                {
                    expected += term(double.CreateTruncating(v));
                }

                double got = double.CreateTruncating(kernel(x.Span));
                Assert.True(double.IsNaN(expected) ? double.IsNaN(got) : got == expected, $"{context} with {x.Span[at]} at {at}: got {got}, expected {expected}.");
            }

            x.AssertIntact();
        }
    }

    /// <summary>
    /// y[i] = alpha x[i] + y[i]. TensorPrimitives.MultiplyAdd may or may not fuse the multiply and the add (it
    /// depends on the instruction set), so each element must equal one of the two correctly rounded results.
    /// </summary>
    private static void CheckAxpy<T>()
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        T[] specials = KernelData.Specials<T>();
        foreach (T alpha in new[] { T.CreateTruncating(0.3), T.CreateTruncating(-2.0), T.Zero })
        {
            foreach (int n in KernelData.Lengths)
            {
                string context = $"Axpy<{typeof(T).Name}>, alpha {alpha}, length {n}";
                using var x = new GuardedBuffer<T>(n, GuardSide.AfterEnd, T.NaN);
                using var y = new GuardedBuffer<T>(n, GuardSide.BeforeStart, T.NaN);
                KernelData.Fill(x.Span, (ulong)n, -100, 100, specials, every: 3, phase: 1);
                KernelData.Fill(y.Span, (ulong)n + 77, -100, 100, specials, every: 4, phase: 2);
                T[] xs = x.Span.ToArray();
                T[] ys = y.Span.ToArray();
                Kernels.Axpy(alpha, x.Span, y.Span);
                FloatAssert.SameBits<T>(x.Span, xs, context + ": x was modified");
                for (int i = 0; i < n; i++)
                {
                    T unfused = (alpha * xs[i]) + ys[i];
                    T fused = T.FusedMultiplyAdd(alpha, xs[i], ys[i]);
                    if (!FloatAssert.SameBits(y.Span[i], unfused) && !FloatAssert.SameBits(y.Span[i], fused))
                    {
                        Assert.Fail($"{context}, x[{i}] = {FloatAssert.Describe(xs[i])}, y[{i}] = {FloatAssert.Describe(ys[i])}: got {FloatAssert.Describe(y.Span[i])}, expected {FloatAssert.Describe(unfused)} or (fused) {FloatAssert.Describe(fused)}.");
                    }
                }

                // x and y the very same span: y = alpha y + y.
                ys.CopyTo(y.Span);
                Kernels.Axpy(alpha, y.Span, y.Span);
                for (int i = 0; i < n; i++)
                {
                    T unfused = (alpha * ys[i]) + ys[i];
                    T fused = T.FusedMultiplyAdd(alpha, ys[i], ys[i]);
                    Assert.True(FloatAssert.SameBits(y.Span[i], unfused) || FloatAssert.SameBits(y.Span[i], fused), $"{context}, x == y, element {i}.");
                }

                x.AssertIntact();
                y.AssertIntact();
            }
        }
    }
}
