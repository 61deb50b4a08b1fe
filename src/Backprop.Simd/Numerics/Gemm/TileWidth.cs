namespace Backprop.Simd.Numerics;

/// <summary>
/// Which of a two-vector tile's columns a kernel computes: both, or only the first vector's for the last panel of an N
/// that leaves at most one vector (N = 50 doubles is three 16-wide panels and 2 columns: without this, the last panel
/// costs a whole tile for an eighth of it). A struct type argument, so the JIT drops the second column's loads,
/// multiply-adds and stores at compile time and the full tile's code is unchanged.
/// </summary>
internal interface ITileWidth
{
    static abstract bool BothVectors { get; }
}

/// <summary>The whole tile.</summary>
internal readonly struct FullTile : ITileWidth
{
    public static bool BothVectors => true;
}

/// <summary>The first vector's columns only.</summary>
internal readonly struct FirstVectorOnly : ITileWidth
{
    public static bool BothVectors => false;
}
