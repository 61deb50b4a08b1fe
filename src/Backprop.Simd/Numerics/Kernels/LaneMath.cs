namespace Backprop.Simd.Numerics;

/// <summary>Functions of double lanes built on <see cref="IDoubleLanes{TVector}"/> that every width computes alike.</summary>
internal static class LaneMath
{
    /// <summary>The most negative argument the runtime's vector exp takes without falling back to scalar code.</summary>
    private const double ExpFloor = -708;

    /// <summary>
    /// e^t for t ≤ 0, every lane the same bits at every width and whatever its neighbours hold: the argument handed to
    /// the runtime's exp stays in [-708, 0]. Below -708, where e^t is at most a few ulps above the smallest normal
    /// double or subnormal, (e^(t/2))², within 3 ulps; below -1416, 0. A NaN lane gives a number, not NaN: the
    /// caller's result for such a lane must not depend on it.
    /// </summary>
    public static TVector Exp<TLanes, TVector>(TVector t)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct =>
        ScaledExp<TLanes, TVector>(TLanes.Create(1), t);

    /// <summary>
    /// s e^t for t ≤ 0 as <see cref="Exp"/>, but below -708 as (s e^(t/2)) e^(t/2), so that a product that is
    /// subnormal (or normal while e^t is not) keeps the accuracy e^t alone would lose; s must be finite.
    /// </summary>
    public static TVector ScaledExp<TLanes, TVector>(TVector s, TVector t)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct
    {
        TVector floor = TLanes.Create(ExpFloor);
        TVector halve = TLanes.LessThan(t, floor);
        TVector h = TLanes.Select(halve, TLanes.Multiply(t, TLanes.Create(0.5)), t);
        TVector e = TLanes.Exp(TLanes.Select(TLanes.LessThan(floor, h), h, floor));
        TVector se = TLanes.Multiply(s, e);
        return TLanes.Select(halve, TLanes.Multiply(se, e), se);
    }
}
