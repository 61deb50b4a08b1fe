using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Simd.Numerics;

/// <summary>
/// The element-wise and reduction kernels a multilayer perceptron needs, on spans and matrix views. Where
/// <see cref="TensorPrimitives"/> has the operation the kernel delegates to it; the rest run on this library's
/// Vector512/Vector256/Vector128 operators.
/// </summary>
/// <remarks>
/// Common rules: inputs of a binary kernel have equal lengths; the destination is at least as long as the input
/// and only the first input-length elements are written; the destination may be the very same span as an input
/// (in place) but must not overlap one at an offset. Violations throw <see cref="ArgumentException"/>.
/// Reductions run in a fixed order for a given length and instruction set, so they are reproducible.
/// </remarks>
public static partial class Kernels
{
    /// <summary>destination[i] = x[i] + y[i].</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The first addend.</param>
    /// <param name="y">The second addend.</param>
    /// <param name="destination">The sums; may be <paramref name="x"/> or <paramref name="y"/>.</param>
    public static void Add<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Binary(x, y, destination);
        TensorPrimitives.Add(x, y, destination);
    }

    /// <summary>destination[i] = x[i] - y[i].</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The minuend.</param>
    /// <param name="y">The subtrahend.</param>
    /// <param name="destination">The differences; may be <paramref name="x"/> or <paramref name="y"/>.</param>
    public static void Subtract<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Binary(x, y, destination);
        TensorPrimitives.Subtract(x, y, destination);
    }

    /// <summary>destination[i] = x[i] * y[i] (the Hadamard product).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The first factor.</param>
    /// <param name="y">The second factor.</param>
    /// <param name="destination">The products; may be <paramref name="x"/> or <paramref name="y"/>.</param>
    public static void Multiply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Binary(x, y, destination);
        TensorPrimitives.Multiply(x, y, destination);
    }

    /// <summary>destination[i] = factor * x[i].</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The values.</param>
    /// <param name="factor">The scale factor.</param>
    /// <param name="destination">The scaled values; may be <paramref name="x"/>.</param>
    public static void Scale<T>(ReadOnlySpan<T> x, T factor, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        TensorPrimitives.Multiply(x, factor, destination);
    }

    /// <summary>y[i] = alpha * x[i] + y[i] (BLAS axpy).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="alpha">The factor on <paramref name="x"/>.</param>
    /// <param name="x">The values to add.</param>
    /// <param name="y">The accumulator, updated in place; as long as <paramref name="x"/>.</param>
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.SameLength(x.Length, y.Length);
        SpanChecks.NoPartialOverlap(x, y, nameof(x));
        TensorPrimitives.MultiplyAdd(x, alpha, y, y);
    }

    /// <summary>
    /// destination[i] = e^x[i]. In double each element's bits are a function of its own value alone: the runtime's
    /// double vector exp recomputes a whole vector with scalar code, which rounds differently, when one lane is beyond
    /// ±708, so here arguments beyond ±708 are reduced into that range (within 3 ulps). In float the runtime's exp is
    /// used as it is: its lanes never depend on each other, though a span shorter than a vector takes its scalar form,
    /// which rounds some values differently (e^0 is 1 there and the next float up on the vector path).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The exponents.</param>
    /// <param name="destination">The powers; may be <paramref name="x"/>.</param>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        if (typeof(T) == typeof(double))
        {
            UnaryDriver.Apply(x, destination, default(DoubleLaneOperator<T, ExpFunction>));
        }
        else
        {
            TensorPrimitives.Exp(x, destination);
        }
    }

    /// <summary>destination[i] = ln x[i] (NaN for negative x, -∞ for 0).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The values.</param>
    /// <param name="destination">The natural logarithms; may be <paramref name="x"/>.</param>
    public static void Log<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        TensorPrimitives.Log(x, destination);
    }

    /// <summary>destination[i] = sign(x[i]): 1, -1, or x[i] itself for ±0 and NaN (the L1 subgradient).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The values.</param>
    /// <param name="destination">The signs; may be <paramref name="x"/>.</param>
    public static void Sign<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        UnaryDriver.Apply(x, destination, default(SignOperator<T>));
    }

    /// <summary>Σ x[i]², in a fixed order.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The values.</param>
    /// <returns>The sum of squares; 0 for an empty span.</returns>
    public static T SumOfSquares<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.SumOfSquares(x);

    /// <summary>Σ |x[i]|, in a fixed order.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The values.</param>
    /// <returns>The sum of absolute values; 0 for an empty span.</returns>
    public static T SumOfMagnitudes<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.SumOfMagnitudes(x);

    /// <summary>Σ x[i], in a fixed order.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The values.</param>
    /// <returns>The sum; 0 for an empty span.</returns>
    public static T Sum<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sum(x);

    /// <summary>
    /// The index of an element that is NaN or infinite, or −1 when all are finite: the index of the largest magnitude,
    /// which <see cref="TensorPrimitives.IndexOfMaxMagnitude{T}(ReadOnlySpan{T})"/> makes the first NaN if there is one.
    /// </summary>
    internal static int IndexOfNonFinite<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = TensorPrimitives.IndexOfMaxMagnitude(x);
        return i >= 0 && !T.IsFinite(x[i]) ? i : -1;
    }

    /// <summary>gradient[i] += lambda * sign(weights[i]): the L1 subgradient, added in place.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="weights">The weights.</param>
    /// <param name="lambda">The L1 strength.</param>
    /// <param name="gradient">The gradient to add to; as long as the weights.</param>
    public static void AddL1Gradient<T>(ReadOnlySpan<T> weights, T lambda, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Binary(weights, gradient, gradient);
        BinaryDriver.Apply(weights, gradient, gradient, new L1GradientOperator<T>(lambda));
    }
}
