using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.Simd.Numerics;

/// <summary>
/// A small, fast, reproducible pseudo-random generator: xoshiro256** 1.0 (Blackman and Vigna, 2018), its
/// 256-bit state seeded from a 64-bit seed by SplitMix64.
/// </summary>
/// <remarks>
/// Every value it produces depends only on the seed and the sequence of calls: the same on every run, machine,
/// operating system and .NET version, unlike <see cref="Random"/>, whose algorithm may change. Normal deviates
/// use the polar method with a logarithm computed here from IEEE basic operations alone, so they are
/// reproducible bit for bit as well. Not thread-safe and not cryptographically secure.
/// </remarks>
public sealed class SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a generator from a 64-bit seed.</summary>
    /// <param name="seed">Any value; equal seeds give equal sequences.</param>
    public SeededRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>Creates a generator from a state saved with <see cref="GetState"/>.</summary>
    /// <param name="state">Four words of state, not all zero.</param>
    /// <exception cref="ArgumentException">The state does not hold four words, or all are zero.</exception>
    public SeededRandom(ReadOnlySpan<ulong> state)
    {
        if (state.Length != StateLength)
        {
            throw new ArgumentException($"The state has {state.Length} words; xoshiro256** needs {StateLength}.", nameof(state));
        }

        if ((state[0] | state[1] | state[2] | state[3]) == 0)
        {
            throw new ArgumentException("An all-zero state is not a valid xoshiro256** state.", nameof(state));
        }

        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    /// <summary>The number of 64-bit words <see cref="GetState"/> writes.</summary>
    public const int StateLength = 4;

    /// <summary>Creates the generator for stream <paramref name="stream"/> of <paramref name="seed"/>: a fixed, independent sequence per pair.</summary>
    /// <param name="seed">The base seed.</param>
    /// <param name="stream">The stream number, for example a layer or shard index.</param>
    /// <returns>A new generator.</returns>
    public static SeededRandom ForStream(ulong seed, ulong stream)
    {
        ulong x = seed ^ (0xD1B54A32D192ED03UL * (stream + 1));
        return new SeededRandom(SplitMix64(ref x));
    }

    /// <summary>Writes the generator's state, so that a later <see cref="SeededRandom(ReadOnlySpan{ulong})"/> continues the sequence.</summary>
    /// <param name="destination">At least <see cref="StateLength"/> words.</param>
    public void GetState(Span<ulong> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, StateLength, nameof(destination));
        destination[0] = _s0;
        destination[1] = _s1;
        destination[2] = _s2;
        destination[3] = _s3;
    }

    /// <summary>The next 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniformly distributed integer in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire's method).</summary>
    /// <param name="maxExclusive">The exclusive upper bound; positive.</param>
    /// <returns>The integer.</returns>
    public int NextInt32(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong range = (ulong)maxExclusive;
        UInt128 product = (UInt128)NextUInt64() * range;
        ulong low = (ulong)product;
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
            {
                product = (UInt128)NextUInt64() * range;
                low = (ulong)product;
            }
        }

        return (int)(ulong)(product >> 64);
    }

    /// <summary>A uniformly distributed double in [0, 1) with 53 random bits.</summary>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniformly distributed float in [0, 1) with 24 random bits.</summary>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    /// <summary>A normally distributed double (polar method): mean 0, standard deviation 1.</summary>
    /// <returns>The value.</returns>
    public double NextGaussian()
    {
        while (true)
        {
            double u = (2.0 * NextDouble()) - 1.0;
            double v = (2.0 * NextDouble()) - 1.0;
            double s = (u * u) + (v * v);
            if (s < 1.0 && s > 0.0)
            {
                return u * Math.Sqrt(-2.0 * DeterministicMath.Log(s) / s);
            }
        }
    }

    /// <summary>Fills <paramref name="destination"/> with values uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="destination">The values to write.</param>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The exclusive upper bound; not below <paramref name="low"/>.</param>
    public void FillUniform<T>(Span<T> destination, T low, T high)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType<T>.ThrowIfNotSupported();
        double lo = double.CreateChecked(low);
        double width = double.CreateChecked(high) - lo;
        if (!double.IsFinite(lo) || !double.IsFinite(width) || width < 0)
        {
            throw new ArgumentOutOfRangeException(T.IsFinite(low) ? nameof(high) : nameof(low), $"The interval [{low}, {high}) is not a finite, ordered range.");
        }

        // A double just below high can round to high itself in float; the bound is exclusive.
        T below = high > low ? T.BitDecrement(high) : low;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = T.Min(T.CreateTruncating(lo + (width * NextDouble())), below);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with normal deviates of the given mean and standard deviation.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="destination">The values to write.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="standardDeviation">The standard deviation; not negative.</param>
    public void FillNormal<T>(Span<T> destination, T mean, T standardDeviation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType<T>.ThrowIfNotSupported();
        double mu = double.CreateChecked(mean);
        double sigma = double.CreateChecked(standardDeviation);
        if (!double.IsFinite(mu) || !double.IsFinite(sigma) || sigma < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), $"Mean {mean} and standard deviation {standardDeviation} must be finite, the deviation not negative.");
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = T.CreateTruncating(mu + (sigma * NextGaussian()));
        }
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates, from the last element down).</summary>
    /// <typeparam name="TItem">The item type.</typeparam>
    /// <param name="items">The items.</param>
    public void Shuffle<TItem>(Span<TItem> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt32(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
