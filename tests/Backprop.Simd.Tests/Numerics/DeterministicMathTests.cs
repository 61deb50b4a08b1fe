using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>DeterministicMath.Log, the logarithm behind reproducible Gaussians, against Math.Log.</summary>
[Trait("Category", "Kernels")]
public sealed class DeterministicMathTests
{
    /// <summary>
    /// Within 1 ulp of Math.Log (itself within 1 ulp of the exact value on glibc and .NET's own CRT) over random bit
    /// patterns across the whole positive range, the subnormals, values next to 1 and next to √2 and √½ (where the
    /// reduction switches), and the extremes.
    /// </summary>
    [Fact]
    public void Log_is_within_one_ulp_of_Math_Log()
    {
        var values = new List<double> { double.Epsilon, 2 * double.Epsilon, double.MaxValue, 1.0, 2.0, 0.5, Math.E, 10.0, Math.Sqrt(2), Math.Sqrt(0.5), BitConverter.Int64BitsToDouble(0x000FFFFFFFFFFFFF), BitConverter.Int64BitsToDouble(0x0010000000000000) };
        var random = new SeededRandom(1);
        for (int i = 0; i < 100_000; i++)
        {
            // Any positive finite double: a random exponent field 0..2046 and a random mantissa.
            ulong bits = (random.NextUInt64() >> 12) | ((ulong)random.NextInt32(2047) << 52);
            values.Add(BitConverter.UInt64BitsToDouble(bits));
        }

        for (int i = 0; i < 20_000; i++)
        {
            values.Add(BitConverter.UInt64BitsToDouble(1 + (random.NextUInt64() >> 12)));             // subnormal
            values.Add(1.0 + ((random.NextDouble() - 0.5) * Math.ScaleB(1.0, -random.NextInt32(50))));  // near 1
            values.Add(Math.Sqrt(2) * (1.0 + ((random.NextDouble() - 0.5) * 1e-6)));                // near the switch
            values.Add(random.NextDouble());                                                          // (0, 1)
        }

        int worstAt = -1;
        long worst = 0;
        for (int i = 0; i < values.Count; i++)
        {
            double x = values[i];
            if (x <= 0)
            {
                continue;
            }

            long ulps = FloatAssert.UlpDistance(DeterministicMath.Log(x), Math.Log(x));
            if (ulps > worst)
            {
                worst = ulps;
                worstAt = i;
            }
        }

        Assert.True(worst <= 1, $"Log({values[worstAt]:R}) = {DeterministicMath.Log(values[worstAt]):R}, Math.Log gives {Math.Log(values[worstAt]):R}: {worst} ulps apart.");
        Assert.Equal(0.0, DeterministicMath.Log(1.0));
    }

    [Fact]
    public void Log_rejects_values_outside_its_domain()
    {
        foreach (double x in new[] { 0.0, -0.0, -1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -double.Epsilon })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => DeterministicMath.Log(x));
        }
    }
}
