using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Losses;

/// <summary>
/// A loss function: computes the loss of a batch of network outputs against targets and, in the same pass, the
/// gradient with respect to the outputs.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public abstract class Loss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The loss's name, for example <c>softmax-cross-entropy</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Computes the per-sample losses of a batch and writes <c>gradientScale · dℓ/doutput</c> into
    /// <paramref name="gradient"/>.
    /// </summary>
    /// <param name="output">The network outputs, [batch x n].</param>
    /// <param name="target">The targets, [batch x n].</param>
    /// <param name="gradient">Receives the scaled gradient, [batch x n]; may not alias the inputs.</param>
    /// <param name="gradientScale">1 / (full batch size) for a mean reduction, 1 for a sum.</param>
    /// <returns>The sum of the per-sample losses of these rows (not scaled), in double.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public abstract double Compute(ReadOnlyMatrixSpan<T> output, ReadOnlyMatrixSpan<T> target, MatrixSpan<T> gradient, T gradientScale);

    /// <summary>The sum of the per-sample losses, without a gradient (for validation).</summary>
    /// <param name="output">The network outputs, [batch x n].</param>
    /// <param name="target">The targets, [batch x n].</param>
    /// <returns>The sum of the per-sample losses.</returns>
    public abstract double Evaluate(ReadOnlyMatrixSpan<T> output, ReadOnlyMatrixSpan<T> target);

    /// <summary>
    /// Whether this loss fuses with a final activation layer (sigmoid with binary cross-entropy, softmax with softmax
    /// cross-entropy): the gradient with respect to that layer's input is then computed directly and stably.
    /// </summary>
    /// <param name="lastLayer">The network's last layer.</param>
    /// <returns><see langword="true"/> if <see cref="ComputeFused"/> applies.</returns>
    protected internal virtual bool FusesWith(Layer<T> lastLayer) => false;

    /// <summary>
    /// The fused form: from the final activation's outputs, the sum of the per-sample losses and
    /// <c>gradientScale · dℓ/d(activation input)</c>.
    /// </summary>
    /// <param name="activations">The final activation's outputs.</param>
    /// <param name="target">The targets.</param>
    /// <param name="inputGradient">Receives the scaled gradient with respect to the final activation's input.</param>
    /// <param name="gradientScale">1 / (full batch size) for a mean reduction, 1 for a sum.</param>
    /// <returns>The sum of the per-sample losses of these rows.</returns>
    protected internal virtual double ComputeFused(ReadOnlyMatrixSpan<T> activations, ReadOnlyMatrixSpan<T> target, MatrixSpan<T> inputGradient, T gradientScale) =>
        throw new NotSupportedException($"{Name} does not fuse with an activation.");

    /// <summary>The fused form of <see cref="Evaluate"/>: the loss from the final activation's outputs (see <see cref="FusesWith"/>).</summary>
    /// <param name="activations">The final activation's outputs.</param>
    /// <param name="target">The targets.</param>
    /// <returns>The sum of the per-sample losses.</returns>
    protected internal virtual double EvaluateFused(ReadOnlyMatrixSpan<T> activations, ReadOnlyMatrixSpan<T> target) => Evaluate(activations, target);

    /// <summary>The sum of the per-sample losses of a network's outputs, fused with its last layer where the loss fuses with it.</summary>
    internal double EvaluateAfter(Layer<T> lastLayer, ReadOnlyMatrixSpan<T> output, ReadOnlyMatrixSpan<T> target) =>
        FusesWith(lastLayer) ? EvaluateFused(output, target) : Evaluate(output, target);

    /// <summary>Throws unless output, target and gradient have one shape.</summary>
    /// <param name="output">The outputs.</param>
    /// <param name="target">The targets.</param>
    protected static void CheckShapes(ReadOnlyMatrixSpan<T> output, ReadOnlyMatrixSpan<T> target)
    {
        if (output.Rows != target.Rows || output.Columns != target.Columns)
        {
            throw new ArgumentException($"The output is [{output.Rows} x {output.Columns}] but the target is [{target.Rows} x {target.Columns}].", nameof(target));
        }
    }

    /// <summary>Throws unless the gradient has the output's shape.</summary>
    /// <param name="output">The outputs.</param>
    /// <param name="gradient">The gradient buffer.</param>
    protected static void CheckGradient(ReadOnlyMatrixSpan<T> output, MatrixSpan<T> gradient)
    {
        if (output.Rows != gradient.Rows || output.Columns != gradient.Columns)
        {
            throw new ArgumentException($"The gradient is [{gradient.Rows} x {gradient.Columns}] but the output is [{output.Rows} x {output.Columns}].", nameof(gradient));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
