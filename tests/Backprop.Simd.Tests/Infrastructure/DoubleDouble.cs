namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>
/// A number as the unevaluated sum of two doubles, hi + lo with |lo| ≤ ulp(hi)/2: about 32 significant digits, from
/// the error-free transformations (TwoSum, and TwoProd through a fused multiply-add). The high-precision reference
/// that the erf, GELU and SiLU kernels are measured against; DoubleDoubleTests checks it against tabulated values and
/// against itself by two independent methods.
/// </summary>
internal readonly record struct DoubleDouble(double Hi, double Lo)
{
    /// <summary>ln 2 (Hi the nearest double, Lo the rest).</summary>
    public static readonly DoubleDouble Ln2 = new(6.93147180559945286227e-01, 2.31904681384629955842e-17);

    /// <summary>π (Hi is Math.PI).</summary>
    public static readonly DoubleDouble Pi = new(Math.PI, 1.2246467991473532e-16);

    /// <summary>1/√π.</summary>
    public static readonly DoubleDouble InverseRootPi = 1 / Sqrt(Pi);

    /// <summary>1/√2.</summary>
    public static readonly DoubleDouble InverseRootTwo = 1 / Sqrt(2);

    public static implicit operator DoubleDouble(double value) => new(value, 0);

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        (double s, double e) = TwoSum(a.Hi, b.Hi);
        (double t, double f) = TwoSum(a.Lo, b.Lo);
        (s, e) = QuickTwoSum(s, e + t);
        return Normalize(s, e + f);
    }

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + -b;

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        double p = a.Hi * b.Hi;
        double e = Math.FusedMultiplyAdd(a.Hi, b.Hi, -p) + ((a.Hi * b.Lo) + (a.Lo * b.Hi));
        return Normalize(p, e);
    }

    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        double q1 = a.Hi / b.Hi;
        DoubleDouble r = a - (q1 * b);
        double q2 = r.Hi / b.Hi;
        r -= q2 * b;
        double q3 = r.Hi / b.Hi;
        return Normalize(q1, q2) + q3;
    }

    public static DoubleDouble Sqrt(DoubleDouble a)
    {
        double y = Math.Sqrt(a.Hi);
        return y + ((a - ((DoubleDouble)y * y)) / (2 * y));
    }

    /// <summary>e^a for a in about [-745, 709]; below, 0. The result's last digits fade where it is subnormal.</summary>
    public static DoubleDouble Exp(DoubleDouble a)
    {
        if (a.Hi < -746)
        {
            return 0;
        }

        // a = k ln 2 + r, |r| ≤ ln 2 / 2; e^r = (e^(r/64))^64, with e^(r/64) by its Taylor series.
        double k = Math.Round(a.Hi / Ln2.Hi);
        DoubleDouble r = (a - (k * Ln2)) * (1.0 / 64);
        DoubleDouble sum = 1;
        DoubleDouble term = 1;
        for (int n = 1; n < 20; n++)
        {
            term = term * r / n;
            sum += term;
        }

        for (int i = 0; i < 6; i++)
        {
            sum *= sum;
        }

        // Scaled in two steps, so that 2^k itself never overflows or underflows on the way.
        int half = (int)k / 2;
        return new DoubleDouble(Math.ScaleB(Math.ScaleB(sum.Hi, half), (int)k - half), Math.ScaleB(Math.ScaleB(sum.Lo, half), (int)k - half));
    }

    /// <summary>erf x: (2/√π) e^(-x²) Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), a series of terms of one sign (no cancellation), for |x| up to about 6.</summary>
    public static DoubleDouble ErfBySeries(DoubleDouble x)
    {
        DoubleDouble twoSquare = 2 * x * x;
        DoubleDouble term = x;
        DoubleDouble sum = x;
        for (int n = 0; n < 400 && Math.Abs(term.Hi) > 1e-36 * Math.Abs(sum.Hi); n++)
        {
            term = term * twoSquare / (2 * n + 3);
            sum += term;
        }

        return 2 * InverseRootPi * Exp(-(x * x)) * sum;
    }

    /// <summary>
    /// erfc x for x &gt; 0 by its continued fraction, e^(-x²)/√π / (x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated
    /// from <paramref name="depth"/> terms back: accurate where it has converged, which takes more terms the smaller x.
    /// </summary>
    public static DoubleDouble ErfcByContinuedFraction(DoubleDouble x, int depth = 150)
    {
        DoubleDouble f = x;
        for (int k = depth; k >= 1; k--)
        {
            f = x + ((0.5 * k) / f);
        }

        return Exp(-(x * x)) * InverseRootPi / f;
    }

    /// <summary>erf x: the series up to |x| = 3, then 1 - erfc |x|.</summary>
    public static DoubleDouble Erf(DoubleDouble x) =>
        Math.Abs(x.Hi) <= 3 ? ErfBySeries(x)
        : x.Hi > 0 ? 1 - ErfcByContinuedFraction(x)
        : ErfcByContinuedFraction(-x) - 1;

    /// <summary>erfc x: 1 - erf x up to x = 3 (which cancels at most 5 of the 32 digits), then the continued fraction; 2 - erfc(-x) for x &lt; -3.</summary>
    public static DoubleDouble Erfc(DoubleDouble x) =>
        x.Hi > 3 ? ErfcByContinuedFraction(x)
        : x.Hi < -3 ? 2 - ErfcByContinuedFraction(-x)
        : 1 - ErfBySeries(x);

    /// <summary>The nearest double (subnormal results round twice: within one subnormal step).</summary>
    public double ToDouble() => Hi + Lo;

    private static DoubleDouble Normalize(double hi, double lo)
    {
        (double s, double e) = QuickTwoSum(hi, lo);
        return new DoubleDouble(s, e);
    }

    private static (double Sum, double Error) TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    private static (double Sum, double Error) QuickTwoSum(double a, double b)
    {
        double s = a + b;
        return (s, b - (s - a));
    }
}
