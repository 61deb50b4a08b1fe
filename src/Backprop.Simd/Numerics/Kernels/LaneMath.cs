namespace Backprop.Simd.Numerics;

/// <summary>Functions of double lanes built on <see cref="IDoubleLanes{TVector}"/> that every width computes alike.</summary>
internal static class LaneMath
{
    /// <summary>The largest magnitude of argument the runtime's vector exp takes without falling back to scalar code.</summary>
    private const double ExpLimit = 708;

    /// <summary>e^708, the factor that brings e^(t - 708) back up.</summary>
    private static readonly double s_expOfLimit = Math.Exp(ExpLimit);

    /// <summary>
    /// e^t, every lane the same bits at every width and whatever its neighbours hold: the argument handed to the
    /// runtime's exp stays in [-708, 708]. Below -708, where e^t is at most a few ulps above the smallest normal double
    /// or subnormal, (e^(t/2))², within 3 ulps, and 0 below -1416; above 708, e^(t - 708) e^708, within 3 ulps, and +∞
    /// from about 709.78. NaN gives NaN.
    /// </summary>
    public static TVector Exp<TLanes, TVector>(TVector t)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector above = TLanes.LessThan(TLanes.Create(ExpLimit), t);
        (TVector halve, TVector e) = BoundedExp<TLanes, TVector>(TLanes.Select(above, TLanes.Subtract(t, TLanes.Create(ExpLimit)), t));
        TVector result = TLanes.Select(halve, TLanes.Multiply(e, e), TLanes.Select(above, TLanes.Multiply(e, TLanes.Create(s_expOfLimit)), e));
        return KeepNaN<TLanes, TVector>(t, result);
    }

    /// <summary>
    /// s e^t for t ≤ 0 as <see cref="Exp"/>, but below -708 as (s e^(t/2)) e^(t/2), so that a product that is
    /// subnormal (or normal while e^t is not) keeps the accuracy e^t alone would lose; s must be finite. A NaN lane
    /// gives a number, not NaN: the caller's result for such a lane must not depend on it.
    /// </summary>
    public static TVector ScaledExp<TLanes, TVector>(TVector s, TVector t)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        (TVector halve, TVector e) = BoundedExp<TLanes, TVector>(t);
        TVector se = TLanes.Multiply(s, e);
        return TLanes.Select(halve, TLanes.Multiply(se, e), se);
    }

    /// <summary>NaN where x is NaN, else <paramref name="result"/>.</summary>
    public static TVector KeepNaN<TLanes, TVector>(TVector x, TVector result)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct =>
        TLanes.Select(TLanes.Equals(x, x), result, x);

    /// <summary>
    /// The lanes where t &lt; -708 (halve) and the runtime's exp of t there halved, elsewhere of t, its argument clamped
    /// to [-708, 708] (a NaN to -708) so that no lane sends the vector to scalar code.
    /// </summary>
    private static (TVector Halve, TVector E) BoundedExp<TLanes, TVector>(TVector t)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector floor = TLanes.Create(-ExpLimit);
        TVector ceiling = TLanes.Create(ExpLimit);
        TVector halve = TLanes.LessThan(t, floor);
        TVector h = TLanes.Select(halve, TLanes.Multiply(t, TLanes.Create(0.5)), t);
        h = TLanes.Select(TLanes.LessThan(floor, h), h, floor);
        return (halve, TLanes.Exp(TLanes.Select(TLanes.LessThan(h, ceiling), h, ceiling)));
    }
}
