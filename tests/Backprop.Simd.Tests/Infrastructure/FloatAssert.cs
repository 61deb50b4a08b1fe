using System.Numerics;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>Comparisons of float and double results: bitwise (NaN matches any NaN) and in units in the last place.</summary>
internal static class FloatAssert
{
    /// <summary>Bitwise equality, except that any NaN matches any NaN (payloads may differ between vector and scalar code).</summary>
    public static bool SameBits<T>(T actual, T expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(actual) || T.IsNaN(expected))
        {
            return T.IsNaN(actual) && T.IsNaN(expected);
        }

        return Bits(actual) == Bits(expected);
    }

    /// <summary>
    /// The number of representable values between <paramref name="a"/> and <paramref name="b"/> (0 when equal; +0 and
    /// -0 count as equal); <see cref="long.MaxValue"/> when exactly one is NaN, 0 when both are.
    /// </summary>
    public static long UlpDistance<T>(T a, T b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(a) || T.IsNaN(b))
        {
            return T.IsNaN(a) && T.IsNaN(b) ? 0 : long.MaxValue;
        }

        Int128 distance = Int128.Abs((Int128)Ordered(a) - Ordered(b));
        return distance > long.MaxValue ? long.MaxValue : (long)distance;
    }

    /// <summary>The gap between <paramref name="x"/> and the next value away from zero, as a double.</summary>
    public static double Ulp<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T magnitude = T.Abs(x);
        return T.IsFinite(magnitude) ? double.CreateTruncating(T.BitIncrement(magnitude)) - double.CreateTruncating(magnitude) : double.PositiveInfinity;
    }

    /// <summary>Asserts bitwise equality element by element (NaN matches NaN), naming the first difference.</summary>
    public static void SameBits<T>(ReadOnlySpan<T> actual, ReadOnlySpan<T> expected, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.True(actual.Length == expected.Length, $"{context}: length {actual.Length}, expected {expected.Length}.");
        for (int i = 0; i < actual.Length; i++)
        {
            if (!SameBits(actual[i], expected[i]))
            {
                Assert.Fail($"{context}: element {i} is {Describe(actual[i])}, expected {Describe(expected[i])} exactly.");
            }
        }
    }

    /// <summary>A value with its bit pattern, so that -0 and NaN payloads are visible in failure messages.</summary>
    public static string Describe<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        FormattableString.Invariant($"{value:R} (0x{Bits(value):X})");

    /// <summary>The raw IEEE bits, widened to 64 bits.</summary>
    public static ulong Bits<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? BitConverter.SingleToUInt32Bits(float.CreateTruncating(value)) : BitConverter.DoubleToUInt64Bits(double.CreateTruncating(value));

    /// <summary>Maps the bits to integers that are ordered like the values, with +0 and -0 both at 0.</summary>
    private static long Ordered<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            int bits = BitConverter.SingleToInt32Bits(float.CreateTruncating(value));
            return bits < 0 ? -(long)(bits & int.MaxValue) : bits;
        }

        long wide = BitConverter.DoubleToInt64Bits(double.CreateTruncating(value));
        return wide < 0 ? -(wide & long.MaxValue) : wide;
    }
}
