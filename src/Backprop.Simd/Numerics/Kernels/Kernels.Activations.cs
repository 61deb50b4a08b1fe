using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Simd.Numerics;

public static partial class Kernels
{
    /// <summary>
    /// destination[i] = 1 / (1 + e^-x[i]), each element's bits a function of its own value alone (0 below −708, 1
    /// where it rounds to 1).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">The outputs; may be <paramref name="x"/>.</param>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        UnaryDriver.Apply(x, destination, default(SigmoidOperator<T>));
    }

    /// <summary>destination[i] = y[i] (1 - y[i]): the sigmoid's derivative given its output y = sigmoid(x).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="y">The sigmoid's outputs.</param>
    /// <param name="destination">The derivatives; may be <paramref name="y"/>.</param>
    public static void SigmoidDerivative<T>(ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(y, destination);
        UnaryDriver.Apply(y, destination, new UnitGradientOperator<T, SigmoidGradientOperator<T>>(default));
    }

    /// <summary>inputGradient[i] = outputGradient[i] (y[i] (1 - y[i])): backpropagation through a sigmoid with output y.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="y">The sigmoid's outputs.</param>
    /// <param name="outputGradient">The loss gradient with respect to y.</param>
    /// <param name="inputGradient">The loss gradient with respect to x; may be either input.</param>
    public static void SigmoidBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Binary(y, outputGradient, inputGradient);
        BinaryDriver.Apply(y, outputGradient, inputGradient, default(SigmoidGradientOperator<T>));
    }

    /// <summary>destination[i] = tanh x[i], within about 2 ulps; tanh(±0) = ±0.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">The outputs; may be <paramref name="x"/>.</param>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        UnaryDriver.Apply(x, destination, default(TanhOperator<T>));
    }

    /// <summary>destination[i] = 1 - y[i]²: the derivative of tanh given its output y = tanh(x).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="y">The outputs of tanh.</param>
    /// <param name="destination">The derivatives; may be <paramref name="y"/>.</param>
    public static void TanhDerivative<T>(ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(y, destination);
        UnaryDriver.Apply(y, destination, new UnitGradientOperator<T, TanhGradientOperator<T>>(default));
    }

    /// <summary>inputGradient[i] = outputGradient[i] (1 - y[i]²): backpropagation through tanh with output y.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="y">The outputs of tanh.</param>
    /// <param name="outputGradient">The loss gradient with respect to y.</param>
    /// <param name="inputGradient">The loss gradient with respect to x; may be either input.</param>
    public static void TanhBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Binary(y, outputGradient, inputGradient);
        BinaryDriver.Apply(y, outputGradient, inputGradient, default(TanhGradientOperator<T>));
    }

    /// <summary>destination[i] = max(x[i], 0); NaN stays NaN.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">The outputs; may be <paramref name="x"/>.</param>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        TensorPrimitives.Max(x, T.Zero, destination);
    }

    /// <summary>destination[i] = x[i] &gt; 0 ? 1 : 0: the derivative of ReLU (taken as 0 at 0). x may be the input or the output of ReLU.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs (or outputs) of ReLU.</param>
    /// <param name="destination">The derivatives; may be <paramref name="x"/>.</param>
    public static void ReluDerivative<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        UnaryDriver.Apply(x, destination, new UnitGradientOperator<T, ReluGradientOperator<T>>(default));
    }

    /// <summary>inputGradient[i] = x[i] &gt; 0 ? outputGradient[i] : +0: backpropagation through ReLU (an infinite or NaN outputGradient does not pass a closed unit). x may be the input or the output of ReLU.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs (or outputs) of ReLU.</param>
    /// <param name="outputGradient">The loss gradient with respect to the output.</param>
    /// <param name="inputGradient">The loss gradient with respect to the input; may be either input.</param>
    public static void ReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Binary(x, outputGradient, inputGradient);
        BinaryDriver.Apply(x, outputGradient, inputGradient, default(ReluGradientOperator<T>));
    }

    /// <summary>destination[i] = x[i] &gt; 0 ? x[i] : slope * x[i].</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs.</param>
    /// <param name="slope">The slope for negative inputs, for example 0.01.</param>
    /// <param name="destination">The outputs; may be <paramref name="x"/>.</param>
    public static void LeakyRelu<T>(ReadOnlySpan<T> x, T slope, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        UnaryDriver.Apply(x, destination, new LeakyReluOperator<T>(slope));
    }

    /// <summary>destination[i] = x[i] &gt; 0 ? 1 : slope: the derivative of leaky ReLU. x may be the input or, for a positive slope, the output.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs (or outputs).</param>
    /// <param name="slope">The slope for negative inputs.</param>
    /// <param name="destination">The derivatives; may be <paramref name="x"/>.</param>
    public static void LeakyReluDerivative<T>(ReadOnlySpan<T> x, T slope, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Unary(x, destination);
        UnaryDriver.Apply(x, destination, new UnitGradientOperator<T, LeakyReluGradientOperator<T>>(new(slope)));
    }

    /// <summary>inputGradient[i] = x[i] &gt; 0 ? outputGradient[i] : slope * outputGradient[i]: backpropagation through leaky ReLU.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The inputs (or, for a positive slope, the outputs).</param>
    /// <param name="slope">The slope for negative inputs.</param>
    /// <param name="outputGradient">The loss gradient with respect to the output.</param>
    /// <param name="inputGradient">The loss gradient with respect to the input; may be either input.</param>
    public static void LeakyReluBackward<T>(ReadOnlySpan<T> x, T slope, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SpanChecks.Binary(x, outputGradient, inputGradient);
        BinaryDriver.Apply(x, outputGradient, inputGradient, new LeakyReluGradientOperator<T>(slope));
    }
}
