using System.Numerics;

namespace Backprop.Simd.Numerics;

public static partial class Kernels
{
    /// <summary>
    /// destination[i] = erf x[i] = (2/√π) ∫₀^x e^(-t²) dt, within 1 ulp; erf(±0) = ±0, erf(±∞) = ±1. Computed in double
    /// (float inputs widened, the result rounded back).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">The outputs; may be <paramref name="x"/>.</param>
    public static void Erf<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        UnaryDriver.Apply(x, destination, default(DoubleLaneOperator<T, ErfFunction>));
    }

    /// <summary>
    /// destination[i] = erfc x[i] = 1 - erf x[i], without the cancellation of that difference for large x: within a few
    /// ulps where erfc x is a normal number (the exponential's error), 0 from x = 28 on, erfc(-∞) = 2. Computed in double.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">The outputs; may be <paramref name="x"/>.</param>
    public static void Erfc<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        UnaryDriver.Apply(x, destination, default(DoubleLaneOperator<T, ErfcFunction>));
    }
}
