namespace Backprop.Simd.Numerics;

/// <summary>e^x through <see cref="LaneMath.Exp"/>: the same bits for a lane whatever its neighbours hold.</summary>
internal readonly struct ExpFunction : IDoubleLaneFunction
{
    public static TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct =>
        LaneMath.Exp<TLanes, TVector>(x);
}
