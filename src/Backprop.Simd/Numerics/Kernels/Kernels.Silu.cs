using System.Numerics;

namespace Backprop.Simd.Numerics;

public static partial class Kernels
{
    /// <summary>
    /// destination[i] = SiLU(x[i]) = x σ(x) = x / (1 + e^-x), computed in double (float inputs widened, the result
    /// rounded back); SiLU(-∞) = -0, SiLU(+∞) = +∞.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">The outputs; may be <paramref name="x"/>.</param>
    public static void Silu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        UnaryDriver.Apply(x, destination, default(DoubleLaneOperator<T, SiluFunction>));
    }

    /// <summary>
    /// inputGradient[i] = outputGradient[i] σ(x[i]) (1 + x[i] (1 - σ(x[i]))): backpropagation through SiLU, from its
    /// input x; the derivative is 0 at -∞ and 1 at +∞.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs of SiLU.</param>
    /// <param name="outputGradient">The loss gradient with respect to the output.</param>
    /// <param name="inputGradient">The loss gradient with respect to x; may be either input.</param>
    public static void SiluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Binary(x, outputGradient, inputGradient);
        BinaryDriver.Apply(x, outputGradient, inputGradient, default(DoubleLaneBinaryOperator<T, SiluGradientFunction>));
    }
}
