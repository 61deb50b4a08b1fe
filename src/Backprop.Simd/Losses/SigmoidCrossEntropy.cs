using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Losses;

/// <summary>
/// Binary cross-entropy on logits z (a sigmoid fused into the loss, PyTorch's <c>BCEWithLogitsLoss</c>): per sample
/// ℓ = Σ_j [max(z_j, 0) − z_j t_j + ln(1 + e^−|z_j|)], stable for any z, with gradient σ(z) − t — the original
/// notebook's output layer and cost, computed without ever taking the logarithm of a saturated probability.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class SigmoidCrossEntropy<T> : Loss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Name => "sigmoid-cross-entropy";

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
            sum += RowLoss(z, t, g);
            Kernels.Sigmoid(z, g);
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
            for (int j = 0; j < z.Length; j++)
            {
                double x = double.CreateTruncating(z[j]);
                sum += Math.Max(x, 0) - (x * double.CreateTruncating(t[j])) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
            }
        }

        return sum;
    }

    /// <summary>Σ_j max(z, 0) − z t + ln(1 + e^−|z|), vectorised; <paramref name="scratch"/> is overwritten.</summary>
    private static double RowLoss(ReadOnlySpan<T> z, ReadOnlySpan<T> t, Span<T> scratch)
    {
        TensorPrimitives.Max(z, T.Zero, scratch);
        T linear = TensorPrimitives.Sum<T>(scratch) - TensorPrimitives.Dot(z, t);
        TensorPrimitives.Abs(z, scratch);
        TensorPrimitives.Negate<T>(scratch, scratch);
        Kernels.Exp<T>(scratch, scratch);
        TensorPrimitives.LogP1<T>(scratch, scratch);
        return double.CreateTruncating(linear + TensorPrimitives.Sum<T>(scratch));
    }
}
