namespace Backprop.Simd.Numerics;

/// <summary>
/// Elementary functions built from IEEE 754 basic operations alone, so their results are the same bits on every
/// platform (the C runtime behind <see cref="Math.Log(double)"/> may differ in the last place).
/// </summary>
internal static class DeterministicMath
{
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>The natural logarithm of a positive, finite <paramref name="x"/>, accurate to about one ulp.</summary>
    public static double Log(double x)
    {
        if (!(x > 0) || !double.IsFinite(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), "The argument must be positive and finite.");
        }

        // x = m * 2^e with m in [sqrt(1/2), sqrt(2)), so that f = m - 1 is small.
        int e = 0;
        if (double.IsSubnormal(x))
        {
            x *= 18014398509481984.0; // 2^54
            e = -54;
        }

        long bits = BitConverter.DoubleToInt64Bits(x);
        e += (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > 1.4142135623730951)
        {
            m *= 0.5;
            e++;
        }

        // log(1 + f) = 2 atanh(s) = 2s + s R, s = f / (2 + f), R = 2 (s^2/3 + s^4/5 + ...), |s| <= 0.1716: 11 terms
        // reach 1e-19. As in fdlibm's log, 2s is rewritten as f - s f = f - hfsq - s (f - hfsq) with hfsq = f^2 / 2, so
        // that the exact f is added last and the rounding of s only touches small terms (2s + s R loses up to 1.8 ulps).
        double f = m - 1.0;
        double s = f / (2.0 + f);
        double s2 = s * s;
        double sum = 0.0;
        for (int k = 23; k >= 3; k -= 2)
        {
            sum = (sum + (1.0 / k)) * s2;
        }

        double r = 2.0 * sum;
        double hfsq = 0.5 * f * f;
        return e == 0
            ? f - (hfsq - (s * (hfsq + r)))
            : (e * Ln2Hi) - ((hfsq - ((s * (hfsq + r)) + (e * Ln2Lo))) - f);
    }
}
