namespace Backprop.Simd.Numerics;

/// <summary>
/// Derives independent 64-bit keys from a key and an index with SplitMix64's finaliser: how stochastic layers get a
/// random stream per (seed, step, shard, layer, element) that does not depend on which thread computes it.
/// </summary>
internal static class StreamKey
{
    public static ulong Mix(ulong key, ulong index)
    {
        ulong z = key + ((index + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
