namespace Backprop.Simd.Cli.Notebook;

/// <summary>
/// numpy's legacy generator, <c>np.random.RandomState(seed)</c> (also what <c>np.random.seed(seed)</c> sets up): the
/// 32-bit Mersenne Twister MT19937 seeded by <c>init_genrand</c>, with the draws the notebook makes from it,
/// <c>permutation(n)</c> and <c>uniform(low, high, size)</c>, reproduced value for value.
/// </summary>
/// <remarks>
/// The legacy stream is frozen by numpy's compatibility policy (NEP 19), so these sequences do not change between
/// numpy versions; <c>sklearn.utils.shuffle(X, y, random_state=seed)</c> draws the same permutation.
/// </remarks>
internal sealed class NumpyRandom
{
    private const int StateLength = 624;
    private const int Shift = 397;
    private const uint MatrixA = 0x9908B0DF;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7FFFFFFF;

    private readonly uint[] _state = new uint[StateLength];
    private int _index;

    /// <summary>Seeds as <c>RandomState(seed)</c> does, with MT19937's <c>init_genrand</c>.</summary>
    public NumpyRandom(uint seed)
    {
        _state[0] = seed;
        for (int i = 1; i < StateLength; i++)
        {
            uint previous = _state[i - 1];
            _state[i] = (1812433253u * (previous ^ (previous >> 30))) + (uint)i;
        }

        _index = StateLength;
    }

    /// <summary>The next 32-bit output of MT19937 (<c>genrand_int32</c>).</summary>
    public uint NextUInt32()
    {
        if (_index >= StateLength)
        {
            Twist();
        }

        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        return y ^ (y >> 18);
    }

    /// <summary>A double in [0, 1) with 53 random bits, from two draws (<c>random_sample</c>).</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5;
        uint b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    /// <summary>Fills <paramref name="destination"/> as <c>uniform(low, high, size)</c> does: low + (high − low) · random_sample().</summary>
    public void Uniform(double low, double high, Span<double> destination)
    {
        double range = high - low;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = low + (range * NextDouble());
        }
    }

    /// <summary><c>permutation(n)</c>: 0 .. n − 1 shuffled by the legacy Fisher-Yates, from the last element down.</summary>
    public int[] Permutation(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        int[] order = [.. Enumerable.Range(0, n)];
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)Interval((uint)i);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    /// <summary>A uniform integer in [0, <paramref name="max"/>]: 32-bit draws masked to max's bit length, redrawn while above max.</summary>
    private uint Interval(uint max)
    {
        uint mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        do
        {
            value = NextUInt32() & mask;
        }
        while (value > max);
        return value;
    }

    private void Twist()
    {
        for (int i = 0; i < StateLength; i++)
        {
            uint y = (_state[i] & UpperMask) | (_state[(i + 1) % StateLength] & LowerMask);
            _state[i] = _state[(i + Shift) % StateLength] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : MatrixA);
        }

        _index = 0;
    }
}
