namespace Backprop.Simd.Numerics;

/// <summary>
/// The sigmoid-weighted linear unit, SiLU(x) = x σ(x), and its derivative σ(x) (1 + x (1 - σ(x))), in double lanes.
/// With e = e^-|x|, σ(x) is 1/(1 + e) for x ≥ 0 and e/(1 + e) below, and 1 - σ(x) the other one, so neither
/// cancels; for x &lt; 0 the factor e multiplies the rest through <see cref="LaneMath.ScaledExp"/>, which keeps the
/// results that are subnormal (x below about -708) accurate. Beyond |x| = 1500, where e^-|x| is 0 even after scaling,
/// x is clamped to ±1500 inside the products, so that ∞ × 0 gives no NaN.
/// </summary>
internal static class SigmoidWeighted
{
    private const double Clamp = 1500;

    /// <summary>The numerator <paramref name="w"/> times σ(x): w/(1 + e) for x ≥ 0, w e/(1 + e) for x &lt; 0.</summary>
    public static TVector TimesSigmoid<TLanes, TVector>(TVector x, TVector w, TVector e)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector scaled = TLanes.Select(TLanes.LessThan(x, TLanes.Create(0)), LaneMath.ScaledExp<TLanes, TVector>(w, Decay<TLanes, TVector>(x)), w);
        return TLanes.Divide(scaled, TLanes.Add(TLanes.Create(1), e));
    }

    /// <summary>-|x|, whose exponential e is in (0, 1].</summary>
    public static TVector Decay<TLanes, TVector>(TVector x)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct =>
        TLanes.Subtract(TLanes.Create(0), TLanes.Abs(x));

    /// <summary>x clamped to [-1500, 1500] (any number for NaN, whose result the caller replaces).</summary>
    public static TVector Clamped<TLanes, TVector>(TVector x)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct =>
        TLanes.Select(TLanes.LessThan(x, TLanes.Create(-Clamp)), TLanes.Create(-Clamp), TLanes.Select(TLanes.LessThan(TLanes.Create(Clamp), x), TLanes.Create(Clamp), x));
}

/// <summary>SiLU(x) = x σ(x); SiLU(-∞) = -0 (the limit), SiLU(+∞) = +∞, NaN stays NaN.</summary>
internal readonly struct SiluFunction : IDoubleLaneFunction
{
    public static TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector e = LaneMath.Exp<TLanes, TVector>(SigmoidWeighted.Decay<TLanes, TVector>(x));
        TVector w = TLanes.Select(TLanes.LessThan(x, TLanes.Create(0)), SigmoidWeighted.Clamped<TLanes, TVector>(x), x);
        return LaneMath.KeepNaN<TLanes, TVector>(x, SigmoidWeighted.TimesSigmoid<TLanes, TVector>(x, w, e));
    }
}

/// <summary>dx = dy σ(x) (1 + x (1 - σ(x))); the derivative is 0 at -∞ and 1 at +∞.</summary>
internal readonly struct SiluGradientFunction : IDoubleLaneBinaryFunction
{
    public static TVector Invoke<TLanes, TVector>(TVector x, TVector dy)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector e = LaneMath.Exp<TLanes, TVector>(SigmoidWeighted.Decay<TLanes, TVector>(x));
        TVector one = TLanes.Create(1);
        TVector complement = TLanes.Divide(TLanes.Select(TLanes.LessThan(x, TLanes.Create(0)), one, e), TLanes.Add(one, e));
        TVector w = TLanes.Add(one, TLanes.Multiply(SigmoidWeighted.Clamped<TLanes, TVector>(x), complement));
        return TLanes.Multiply(dy, LaneMath.KeepNaN<TLanes, TVector>(x, SigmoidWeighted.TimesSigmoid<TLanes, TVector>(x, w, e)));
    }
}
