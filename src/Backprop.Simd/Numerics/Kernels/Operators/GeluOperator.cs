namespace Backprop.Simd.Numerics;

/// <summary>
/// The Gaussian error linear unit, GELU(x) = x Φ(x) = x/2 (1 + erf(x/√2)), and its derivative Φ(x) + x φ(x), in
/// double lanes. Φ(x) is taken as erfc(-x/√2)/2, which neither cancels for negative x (where 1 + erf does) nor loses
/// the rounding of -x/√2: that error is carried to erfc as a correction (<see cref="ErrorFunction.Erfc"/>), without
/// which it would grow with x² in the tail.
/// </summary>
internal static class Gaussian
{
    /// <summary>1/√2 = h + l, the nearest double h and the rest l.</summary>
    private static readonly double s_halfRoot = Math.Sqrt(0.5);

    /// <summary>The rest of 1/√2: (1/2 - h²)/(2h), with 1/2 - h² exact through a fused multiply-add.</summary>
    private static readonly double s_halfRootLow = Math.FusedMultiplyAdd(-s_halfRoot, s_halfRoot, 0.5) / (2 * s_halfRoot);

    /// <summary>2 Φ(x) = erfc(-x/√2).</summary>
    public static TVector TwiceCdf<TLanes, TVector>(TVector x)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector u = TLanes.Multiply(x, TLanes.Create(-s_halfRoot));
        TVector rest = TLanes.Add(TLanes.FusedMultiplyAdd(x, TLanes.Create(-s_halfRoot), TLanes.Subtract(TLanes.Create(0), u)), TLanes.Multiply(x, TLanes.Create(-s_halfRootLow)));
        return ErrorFunction.Erfc<TLanes, TVector>(u, rest);
    }
}

/// <summary>GELU(x) = (x/2) erfc(-x/√2); GELU(-∞) = -0 (the limit), GELU(+∞) = +∞, NaN stays NaN.</summary>
internal readonly struct GeluFunction : IDoubleLaneFunction
{
    public static TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector y = TLanes.Multiply(TLanes.Multiply(x, TLanes.Create(0.5)), Gaussian.TwiceCdf<TLanes, TVector>(x));
        return TLanes.Select(TLanes.Equals(x, TLanes.Create(double.NegativeInfinity)), TLanes.Create(-0.0), y);
    }
}

/// <summary>
/// dx = dy (Φ(x) + x φ(x)), φ(x) = e^(-x²/2)/√(2π), with x² split exactly in two (a fused multiply-add) so that the
/// exponential's argument is not rounded; beyond |x| = 40, where φ underflows, the derivative is Φ(x): 0 or 1.
/// </summary>
internal readonly struct GeluGradientFunction : IDoubleLaneBinaryFunction
{
    private const double InverseRootTwoPi = 0.3989422804014327;

    public static TVector Invoke<TLanes, TVector>(TVector x, TVector dy)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector square = TLanes.Multiply(x, x);
        TVector squareRest = TLanes.FusedMultiplyAdd(x, x, TLanes.Subtract(TLanes.Create(0), square));
        TVector density = TLanes.Multiply(
            LaneMath.Exp<TLanes, TVector>(TLanes.Multiply(square, TLanes.Create(-0.5))),
            TLanes.Subtract(TLanes.Create(1), TLanes.Multiply(squareRest, TLanes.Create(0.5))));
        TVector xDensity = TLanes.Select(
            TLanes.LessThan(TLanes.Abs(x), TLanes.Create(40)), TLanes.Multiply(x, TLanes.Multiply(density, TLanes.Create(InverseRootTwoPi))), TLanes.Create(0));
        TVector derivative = TLanes.Add(TLanes.Multiply(Gaussian.TwiceCdf<TLanes, TVector>(x), TLanes.Create(0.5)), xDensity);
        return TLanes.Multiply(dy, derivative);
    }
}
