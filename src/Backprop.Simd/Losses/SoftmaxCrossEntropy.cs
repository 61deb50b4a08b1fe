using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Losses;

/// <summary>
/// Softmax cross-entropy on logits z: per sample ℓ = −Σ_j t_j log softmax(z)_j, computed with the log-sum-exp trick
/// (stable for any logits), gradient (Σ_j t_j) softmax(z) − t, which is softmax(z) − onehot for one-hot targets.
/// Use it on a network whose last layer is linear (<see cref="Dense{T}"/>); after an explicit
/// <see cref="Softmax{T}"/> layer the network fuses the two and passes softmax − target to the logits.
/// </summary>
/// <remarks>After a <see cref="Softmax{T}"/> layer only the probabilities are at hand, and a probability that
/// underflowed to 0 is clamped to 1e-30 (float) or 1e-300 (double) inside the logarithm: a sample's reported loss is
/// then at most 69.1 or 690.8 (the gradient is exact either way). End the network in logits for the exact loss.</remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class SoftmaxCrossEntropy<T> : Loss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly double s_clamp = typeof(T) == typeof(float) ? 1e-30 : 1e-300;

    /// <inheritdoc/>
    public override string Name => "softmax-cross-entropy";

    /// <inheritdoc/>
    public override double Compute(ReadOnlyMatrixSpan<T> output, ReadOnlyMatrixSpan<T> target, MatrixSpan<T> gradient, T gradientScale)
    {
        CheckShapes(output, target);
        CheckGradient(output, gradient);
        double sum = 0;
        for (int i = 0; i < output.Rows; i++)
        {
            ReadOnlySpan<T> z = output.Row(i);
            ReadOnlySpan<T> t = target.Row(i);
            Span<T> g = gradient.Row(i);

            // g = log softmax(z) first: ℓ = −Σ t_j g_j; then g = scale · ((Σ t) softmax(z) − t).
            Kernels.LogSoftmax(z, g);
            sum -= double.CreateTruncating(TensorPrimitives.Dot(t, g));
            Kernels.Exp(g, g);
            TensorPrimitives.Multiply(g, TensorPrimitives.Sum(t), g);
            TensorPrimitives.Subtract(g, t, g);
            TensorPrimitives.Multiply(g, gradientScale, g);
        }

        return sum;
    }

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlyMatrixSpan<T> output, ReadOnlyMatrixSpan<T> target)
    {
        CheckShapes(output, target);
        double sum = 0;
        for (int i = 0; i < output.Rows; i++)
        {
            ReadOnlySpan<T> z = output.Row(i);
            ReadOnlySpan<T> t = target.Row(i);
            double max = double.CreateTruncating(TensorPrimitives.Max(z));
            double sumExp = 0;
            for (int j = 0; j < z.Length; j++)
            {
                sumExp += Math.Exp(double.CreateTruncating(z[j]) - max);
            }

            double logSum = max + Math.Log(sumExp);
            for (int j = 0; j < z.Length; j++)
            {
                sum -= double.CreateTruncating(t[j]) * (double.CreateTruncating(z[j]) - logSum);
            }
        }

        return sum;
    }

    /// <inheritdoc/>
    protected internal override bool FusesWith(Layer<T> lastLayer) => lastLayer is Softmax<T>;

    /// <inheritdoc/>
    protected internal override double EvaluateFused(ReadOnlyMatrixSpan<T> activations, ReadOnlyMatrixSpan<T> target)
    {
        CheckShapes(activations, target);
        double sum = 0;
        for (int i = 0; i < activations.Rows; i++)
        {
            sum += CrossEntropy(activations.Row(i), target.Row(i));
        }

        return sum;
    }

    /// <inheritdoc/>
    protected internal override double ComputeFused(ReadOnlyMatrixSpan<T> activations, ReadOnlyMatrixSpan<T> target, MatrixSpan<T> inputGradient, T gradientScale)
    {
        CheckShapes(activations, target);
        CheckGradient(activations, inputGradient);
        double sum = 0;
        for (int i = 0; i < activations.Rows; i++)
        {
            ReadOnlySpan<T> p = activations.Row(i);
            ReadOnlySpan<T> t = target.Row(i);
            Span<T> g = inputGradient.Row(i);
            sum += CrossEntropy(p, t);
            TensorPrimitives.Multiply(p, TensorPrimitives.Sum(t), g);
            TensorPrimitives.Subtract(g, t, g);
            TensorPrimitives.Multiply(g, gradientScale, g);
        }

        return sum;
    }

    /// <summary>−Σ_j t_j ln p_j for one row of probabilities (clamped away from 0).</summary>
    private static double CrossEntropy(ReadOnlySpan<T> p, ReadOnlySpan<T> t)
    {
        double sum = 0;
        for (int j = 0; j < p.Length; j++)
        {
            double tj = double.CreateTruncating(t[j]);
            if (tj != 0)
            {
                sum -= tj * Math.Log(Math.Max(double.CreateTruncating(p[j]), s_clamp));
            }
        }

        return sum;
    }
}
