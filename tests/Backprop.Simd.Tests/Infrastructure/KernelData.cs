using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>Input data for the element-wise kernel tests: the lengths to sweep, random values and special values.</summary>
internal static class KernelData
{
    /// <summary>Every length 0..256 (all vector widths, their multiples and every tail), then a few large ones.</summary>
    public static IEnumerable<int> Lengths => Enumerable.Range(0, 257).Concat([1000, 4099]);

    /// <summary>The IEEE special values and extremes: NaN, ±∞, ±0, ±max, the smallest subnormal ±, ±1.</summary>
    public static T[] Specials<T>()
        where T : IFloatingPointIeee754<T>, IMinMaxValue<T> =>
        [T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.NegativeZero, T.Zero, T.MaxValue, T.MinValue, T.Epsilon, -T.Epsilon, T.One, T.NegativeOne];

    /// <summary>Fills <paramref name="values"/> uniformly in [low, high) and then, if any specials are given, puts
    /// special values at every index ≡ <paramref name="phase"/> (mod <paramref name="every"/>), cycling through them
    /// with an offset that depends on the length, so that each special lands in vector bodies and in scalar tails.</summary>
    public static void Fill<T>(Span<T> values, ulong seed, double low, double high, ReadOnlySpan<T> specials, int every = 3, int phase = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        new SeededRandom(seed).FillUniform(values, T.CreateTruncating(low), T.CreateTruncating(high));
        for (int i = phase; !specials.IsEmpty && i < values.Length; i += every)
        {
            values[i] = specials[((i / every) + values.Length) % specials.Length];
        }
    }
}
