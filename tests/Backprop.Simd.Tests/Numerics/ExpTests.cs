using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// The double exp beyond the runtime's vector range (its independence of neighbours is in
/// <see cref="ActivationNeighbourTests"/>), and the softmax and log-softmax built on it: a row holding one far-off
/// logit, which sent the runtime's exp to its scalar code, changed the probabilities of the logits beside it.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class ExpTests
{
    [Fact]
    public void Double_exp_beyond_708_is_within_3_ulps_of_the_scalar_exp()
    {
        var x = new double[20_000];
        new SeededRandom(7).FillUniform<double>(x.AsSpan(0, 10_000), -1420.0, -708.0);
        new SeededRandom(8).FillUniform<double>(x.AsSpan(10_000), 708.0, 709.78);
        var y = new double[x.Length];
        Kernels.Exp<double>(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            long ulps = FloatAssert.UlpDistance(y[i], Math.Exp(x[i]));
            Assert.True(ulps <= 3, $"e^{FloatAssert.Describe(x[i])}: {FloatAssert.Describe(y[i])} is {ulps} ulps from Math.Exp's {FloatAssert.Describe(Math.Exp(x[i]))}.");
        }
    }

    [Theory]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(-1500.0, 0.0)]
    [InlineData(710.0, double.PositiveInfinity)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(0.0, 1.0)]
    public void Double_exp_of_special_values(double x, double expected)
    {
        var y = new double[1];
        Kernels.Exp<double>([x], y);
        Assert.Equal(expected, y[0]);
    }

    [Theory]
    [InlineData("Softmax")]
    [InlineData("LogSoftmax")]
    public void A_far_off_logit_leaves_the_other_results_of_its_row_unchanged(string kernel)
    {
        // The far-off logit's own exponential is 0 or too small to move the row's sum, so the others must keep their bits.
        var random = new SeededRandom(9);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 3 + (trial % 37);
            var near = new double[n];
            random.FillUniform<double>(near, -30.0, 30.0);
            int far = trial % n;
            near[far] = -100.0;
            double[] farther = (double[])near.Clone();
            farther[far] = -1000.0;
            double[] expected = Run(kernel, near);
            double[] actual = Run(kernel, farther);
            for (int j = 0; j < n; j++)
            {
                if (j != far)
                {
                    FloatAssert.SameBits<double>([actual[j]], [expected[j]], $"{kernel} element {j} of {n} beside a logit of -1000 at {far}");
                }
            }
        }
    }

    private static double[] Run(string kernel, double[] row)
    {
        var result = new double[row.Length];
        if (kernel == "Softmax")
        {
            Kernels.Softmax<double>(row, result);
        }
        else
        {
            Kernels.LogSoftmax<double>(row, result);
        }

        return result;
    }
}
