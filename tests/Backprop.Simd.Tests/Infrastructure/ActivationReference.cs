using System.Numerics;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>
/// erf, erfc, GELU, SiLU and their derivatives from the double-double reference (<see cref="DoubleDouble"/>), rounded to the
/// element type, with the limits at ±∞ written out: the oracles of the kernel tests.
/// </summary>
internal static class ActivationReference
{
    public static T Erf<T>(T x)
        where T : struct, IFloatingPointIeee754<T> =>
        Beyond40(x, T.One, T.NegativeOne) ?? Round<T>(DoubleDouble.Erf(double.CreateTruncating(x)));

    public static T Erfc<T>(T x)
        where T : struct, IFloatingPointIeee754<T> =>
        Beyond40(x, T.Zero, T.CreateTruncating(2)) ?? Round<T>(DoubleDouble.Erfc(double.CreateTruncating(x)));

    /// <summary>GELU(x) = x Φ(x): x itself beyond 40, -0 below -40.</summary>
    public static T Gelu<T>(T x)
        where T : struct, IFloatingPointIeee754<T> =>
        Beyond40(x, x, T.NegativeZero) ?? Round<T>(0.5 * double.CreateTruncating(x) * TwiceCdf(double.CreateTruncating(x)));

    /// <summary>dy GELU'(x) = dy (Φ(x) + x φ(x)), the derivative rounded to double first: 0 at -∞, 1 at +∞.</summary>
    public static T GeluBackward<T>(T x, T dy)
        where T : struct, IFloatingPointIeee754<T> =>
        Times(dy, GeluTerms(double.CreateTruncating(x)).Derivative);

    /// <summary>|dy| (Φ(x) + |x| φ(x)): the size of the terms of the derivative, which bounds its rounding error where they cancel.</summary>
    public static T GeluBackwardScale<T>(T x, T dy)
        where T : struct, IFloatingPointIeee754<T> =>
        Times(T.Abs(dy), GeluTerms(double.CreateTruncating(x)).Magnitude);

    private static (double Derivative, double Magnitude) GeluTerms(double x)
    {
        // Beyond |x| = 40, x φ(x) < 1e-345 is 0 in double and Φ(x) is 0 or 1 to double precision.
        if (!(Math.Abs(x) <= 40))
        {
            double limit = double.IsNaN(x) ? x : x > 0 ? 1 : 0;
            return (limit, limit);
        }

        DoubleDouble cdf = 0.5 * TwiceCdf(x);
        DoubleDouble xDensity = x * DoubleDouble.Exp(-0.5 * (DoubleDouble)x * x) * DoubleDouble.InverseRootPi * DoubleDouble.InverseRootTwo;
        return ((cdf + xDensity).ToDouble(), (cdf + Math.Abs(xDensity.Hi)).ToDouble());
    }

    /// <summary>Where SiLU's exponential is subnormal or gone (x ≤ -708 in double) and where it overflows in float (x ≤ -89).</summary>
    public static T[] SiluSpecials<T>()
        where T : struct, IFloatingPointIeee754<T> =>
        [.. ((double[])[-89, -100, -150, -708.5, -720, -740, -745, -750, -1450, 30, 710]).Select(T.CreateTruncating)];

    /// <summary>SiLU(x) = x σ(x): x beyond 700, -0 below -1400 (where it is far below the smallest subnormal).</summary>
    public static T Silu<T>(T x)
        where T : struct, IFloatingPointIeee754<T> =>
        T.IsNaN(x) ? x : Round<T>(SiluTerms(double.CreateTruncating(x)).Value);

    /// <summary>dy SiLU'(x) = dy σ(x) (1 + x (1 - σ(x))), the derivative rounded to double first: -0 at -∞, 1 at +∞.</summary>
    public static T SiluBackward<T>(T x, T dy)
        where T : struct, IFloatingPointIeee754<T> =>
        Times(dy, SiluTerms(double.CreateTruncating(x)).Derivative);

    /// <summary>|dy| σ(x) (1 + |x| (1 - σ(x))): the size of the terms of SiLU's derivative, which cancel near x = -1.28.</summary>
    public static T SiluBackwardScale<T>(T x, T dy)
        where T : struct, IFloatingPointIeee754<T> =>
        Times(T.Abs(dy), SiluTerms(double.CreateTruncating(x)).Magnitude);

    /// <summary>
    /// SiLU, its derivative and the size of the derivative's terms, in double-double with h = e^(-|x|/2): σ(x) is
    /// 1/(1 + h²) or h²/(1 + h²), and for x &lt; 0 each result is (h (rest)) h, so that a subnormal result is rounded once.
    /// </summary>
    private static (double Value, double Derivative, double Magnitude) SiluTerms(double x)
    {
        if (double.IsNaN(x) || x > 700)
        {
            return (x, double.IsNaN(x) ? x : 1, 1);
        }

        if (x < -1400)
        {
            return (-0.0, -0.0, 0);
        }

        DoubleDouble h = DoubleDouble.Exp(-0.5 * Math.Abs(x));
        DoubleDouble e = h * h;
        DoubleDouble denominator = 1 + e;
        if (x >= 0)
        {
            DoubleDouble sigma = 1 / denominator;
            DoubleDouble complement = e / denominator;
            return ((x * sigma).ToDouble(), (sigma * (1 + (x * complement))).ToDouble(), (sigma * (1 + (x * complement))).ToDouble());
        }

        DoubleDouble a = h / denominator;
        DoubleDouble rest = 1 / denominator;
        return ((x * a * h).ToDouble(), ((1 + (x * rest)) * a * h).ToDouble(), ((1 + (Math.Abs(x) * rest)) * a * h).ToDouble());
    }

    /// <summary>2 Φ(x) = erfc(-x/√2), the argument exact in double-double.</summary>
    private static DoubleDouble TwiceCdf(double x) => DoubleDouble.Erfc(-(x * DoubleDouble.InverseRootTwo));

    /// <summary>
    /// NaN for NaN, and the given values beyond ±40, where erfc x &lt; 1e-697 and x φ(x) &lt; 1e-345 vanish in double
    /// (and the double-double arithmetic would overflow for the largest x); null elsewhere.
    /// </summary>
    private static T? Beyond40<T>(T x, T above, T below)
        where T : struct, IFloatingPointIeee754<T> =>
        T.IsNaN(x) ? x : x > T.CreateTruncating(40) ? above : x < T.CreateTruncating(-40) ? below : null;

    /// <summary>dy times a derivative (or the size of its terms) already rounded to double, rounded to the element type.</summary>
    private static T Times<T>(T dy, double factor)
        where T : struct, IFloatingPointIeee754<T> => T.CreateTruncating(double.CreateTruncating(dy) * factor);

    private static T Round<T>(DoubleDouble value)
        where T : struct, IFloatingPointIeee754<T> => T.CreateTruncating(value.ToDouble());
}
