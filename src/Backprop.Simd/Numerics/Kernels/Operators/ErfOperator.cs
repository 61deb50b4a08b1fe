namespace Backprop.Simd.Numerics;

/// <summary>
/// erf x and erfc x = 1 - erf x in double lanes, by the method and coefficients of fdlibm's s_erf.c, where they are
/// documented to be within 1 ulp (the measured errors are in the kernel tests). Four ranges of |x|, every lane
/// computing each and keeping its own:
/// <list type="bullet">
/// <item>|x| &lt; 0.84375: erf x = x + x P(x²)/Q(x²); below 2^-28, (8x + 8 efx x)/8, which keeps a subnormal's last
/// bits. erfc x = 1 - erf x for x &lt; 1/4, else 1/2 - (x R + (x - 1/2)), whose subtraction does not cancel.</item>
/// <item>0.84375 ≤ |x| &lt; 1.25: erf |x| = erx + P1(s)/Q1(s) with s = |x| - 1 and erx the float nearest erf 1.</item>
/// <item>1.25 ≤ |x| &lt; 28: erfc |x| = exp(-z² - 0.5625) exp((z - |x|)(z + |x|) + R(1/x²)/S(1/x²)) / |x|, one
/// rational below 1/0.35 and another above, where z is |x| with the low 32 bits of its significand cleared, so
/// that z² is exact and the exponent's rounding does not grow with x².</item>
/// <item>|x| ≥ 28: erf x = ±1, erfc x = 0 (x &gt; 0) or 2.</item>
/// </list>
/// erf(±0) = ±0, NaN stays NaN.
/// </summary>
/// <remarks>
/// The coefficients are those of fdlibm 5.3, whose notice the licence asks to keep: "Copyright (C) 1993 by Sun
/// Microsystems, Inc. All rights reserved. Developed at SunPro, a Sun Microsystems, Inc. business. Permission to use,
/// copy, modify, and distribute this software is freely granted, provided that this notice is preserved."
/// </remarks>
internal static class ErrorFunction
{
    private const double Erx = 8.45062911510467529297e-01;
    private const double Efx8 = 1.02703333676410069053e+00;
    private const double Tiny = 3.7252902984619140625e-09; // 2^-28
    private const double SmallEnd = 0.84375;
    private const double MiddleEnd = 1.25;
    private const double TailSplit = 1 / 0.35;
    private const double TailEnd = 28;

    private static readonly double[] s_pp = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05];
    private static readonly double[] s_qq = [1, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06];
    private static readonly double[] s_pa = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03];
    private static readonly double[] s_qa = [1, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];
    private static readonly double[] s_ra = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01, -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00];
    private static readonly double[] s_sa = [1, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02];
    private static readonly double[] s_rb = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01, -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02];
    private static readonly double[] s_sb = [1, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01];

    /// <summary>erf x.</summary>
    public static TVector Erf<TLanes, TVector>(TVector x)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector a = TLanes.Abs(x);
        TVector y = Rational<TLanes, TVector>(TLanes.Multiply(x, x), s_pp, s_qq);
        TVector tiny = TLanes.Multiply(TLanes.Add(TLanes.Multiply(TLanes.Create(8), x), TLanes.Multiply(TLanes.Create(Efx8), x)), TLanes.Create(0.125));
        TVector small = TLanes.Select(TLanes.LessThan(a, TLanes.Create(Tiny)), tiny, TLanes.Add(x, TLanes.Multiply(x, y)));
        TVector middle = TLanes.CopySign(TLanes.Add(TLanes.Create(Erx), Middle<TLanes, TVector>(a)), x);
        TVector large = TLanes.CopySign(TLanes.Subtract(TLanes.Create(1), Tail<TLanes, TVector>(a, TLanes.Create(0))), x);
        TVector huge = TLanes.CopySign(TLanes.Create(1), x);
        return ByRange<TLanes, TVector>(x, a, small, middle, large, huge);
    }

    /// <summary>
    /// erfc(x + dx), for a correction <paramref name="dx"/> below half an ulp of x (the rounding error of an argument
    /// computed as x): where erfc falls fastest, for |x| ≥ 1.25, its first-order effect -2 x dx goes into the exponent,
    /// elsewhere it is below the result's own rounding. Pass zero for erfc x.
    /// </summary>
    public static TVector Erfc<TLanes, TVector>(TVector x, TVector dx)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector a = TLanes.Abs(x);
        TVector one = TLanes.Create(1);
        TVector half = TLanes.Create(0.5);
        TVector xy = TLanes.Multiply(x, Rational<TLanes, TVector>(TLanes.Multiply(x, x), s_pp, s_qq));
        TVector small = TLanes.Select(
            TLanes.LessThan(x, TLanes.Create(0.25)),
            TLanes.Subtract(one, TLanes.Add(x, xy)),
            TLanes.Subtract(half, TLanes.Add(xy, TLanes.Subtract(x, half))));
        TVector negative = TLanes.LessThan(x, TLanes.Create(0));
        TVector pq = Middle<TLanes, TVector>(a);
        TVector middle = TLanes.Select(negative, TLanes.Add(one, TLanes.Add(TLanes.Create(Erx), pq)), TLanes.Subtract(TLanes.Create(1 - Erx), pq));
        TVector inTail = TLanes.LessThan(a, TLanes.Create(TailEnd));
        TVector q = Tail<TLanes, TVector>(a, TLanes.Select(inTail, TLanes.Multiply(TLanes.Create(-2), TLanes.Multiply(x, dx)), TLanes.Create(0)));
        TVector large = TLanes.Select(negative, TLanes.Subtract(TLanes.Create(2), q), q);
        TVector huge = TLanes.Select(negative, TLanes.Create(2), TLanes.Create(0));
        return ByRange<TLanes, TVector>(x, a, small, middle, large, huge);
    }

    /// <summary>The result of the range |x| falls in; NaN where x is NaN.</summary>
    private static TVector ByRange<TLanes, TVector>(TVector x, TVector a, TVector small, TVector middle, TVector large, TVector huge)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector result = TLanes.Select(
            TLanes.LessThan(a, TLanes.Create(SmallEnd)),
            small,
            TLanes.Select(TLanes.LessThan(a, TLanes.Create(MiddleEnd)), middle, TLanes.Select(TLanes.LessThan(a, TLanes.Create(TailEnd)), large, huge)));
        return LaneMath.KeepNaN<TLanes, TVector>(x, result);
    }

    /// <summary>P1(s)/Q1(s) with s = |x| - 1: erf |x| - erx on [0.84375, 1.25).</summary>
    private static TVector Middle<TLanes, TVector>(TVector a)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct =>
        Rational<TLanes, TVector>(TLanes.Subtract(a, TLanes.Create(1)), s_pa, s_qa);

    /// <summary>
    /// erfc |x| on [1.25, 28), with <paramref name="exponent"/> (small, finite) added to the exponent. |x| is clamped to
    /// that range first (NaN to its end), so that the lanes of other ranges, whose results are discarded, hand the
    /// exponential nothing that sends the whole vector to its scalar code.
    /// </summary>
    private static TVector Tail<TLanes, TVector>(TVector a, TVector exponent)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        a = TLanes.Select(TLanes.LessThan(a, TLanes.Create(MiddleEnd)), TLanes.Create(MiddleEnd), TLanes.Select(TLanes.LessThan(a, TLanes.Create(TailEnd)), a, TLanes.Create(TailEnd)));
        TVector s = TLanes.Divide(TLanes.Create(1), TLanes.Multiply(a, a));
        TVector rs = TLanes.Select(TLanes.LessThan(a, TLanes.Create(TailSplit)), Rational<TLanes, TVector>(s, s_ra, s_sa), Rational<TLanes, TVector>(s, s_rb, s_sb));
        TVector z = TLanes.ClearLowBits(a);
        TVector first = LaneMath.Exp<TLanes, TVector>(TLanes.Subtract(TLanes.Create(-0.5625), TLanes.Multiply(z, z)));
        TVector second = LaneMath.Exp<TLanes, TVector>(TLanes.Add(TLanes.Add(TLanes.Multiply(TLanes.Subtract(z, a), TLanes.Add(z, a)), rs), exponent));
        return TLanes.Divide(TLanes.Multiply(first, second), a);
    }

    /// <summary>P(t)/Q(t), each by Horner's rule from its coefficients c0, c1, ….</summary>
    private static TVector Rational<TLanes, TVector>(TVector t, double[] numerator, double[] denominator)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct =>
        TLanes.Divide(Polynomial<TLanes, TVector>(t, numerator), Polynomial<TLanes, TVector>(t, denominator));

    private static TVector Polynomial<TLanes, TVector>(TVector t, double[] c)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector p = TLanes.Create(c[^1]);
        for (int i = c.Length - 2; i >= 0; i--)
        {
            p = TLanes.Add(TLanes.Multiply(p, t), TLanes.Create(c[i]));
        }

        return p;
    }
}

/// <summary>erf x (<see cref="ErrorFunction"/>).</summary>
internal readonly struct ErfFunction : IDoubleLaneFunction
{
    public static TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct => ErrorFunction.Erf<TLanes, TVector>(x);
}

/// <summary>erfc x (<see cref="ErrorFunction"/>).</summary>
internal readonly struct ErfcFunction : IDoubleLaneFunction
{
    public static TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct => ErrorFunction.Erfc<TLanes, TVector>(x, TLanes.Create(0));
}
