using System.Numerics;

namespace Backprop.Simd.Numerics;

public static partial class Kernels
{
    /// <summary>
    /// destination[i] = GELU(x[i]) = x Φ(x) = x/2 (1 + erf(x/√2)), the exact (erf) form, computed in double as
    /// x/2 erfc(-x/√2) (float inputs widened, the result rounded back); GELU(-∞) = -0, GELU(+∞) = +∞.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">The outputs; may be <paramref name="x"/>.</param>
    public static void Gelu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        UnaryDriver.Apply(x, destination, default(DoubleLaneOperator<T, GeluFunction>));
    }

    /// <summary>
    /// inputGradient[i] = outputGradient[i] (Φ(x[i]) + x[i] φ(x[i])): backpropagation through GELU, from its input x
    /// (φ the standard normal density); the derivative is 0 at -∞ and 1 at +∞.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs of GELU.</param>
    /// <param name="outputGradient">The loss gradient with respect to the output.</param>
    /// <param name="inputGradient">The loss gradient with respect to x; may be either input.</param>
    public static void GeluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Binary(x, outputGradient, inputGradient);
        BinaryDriver.Apply(x, outputGradient, inputGradient, default(DoubleLaneBinaryOperator<T, GeluGradientFunction>));
    }
}
