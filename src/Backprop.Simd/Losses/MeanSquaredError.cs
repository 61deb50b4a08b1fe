using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Losses;

/// <summary>Squared error: per sample ℓ = ½ Σ_j (y_j − t_j)², so that dℓ/dy = y − t.</summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class MeanSquaredError<T> : Loss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Name => "mean-squared-error";

    /// <inheritdoc/>
    public override double Compute(ReadOnlyMatrixSpan<T> output, ReadOnlyMatrixSpan<T> target, MatrixSpan<T> gradient, T gradientScale)
    {
        CheckShapes(output, target);
        CheckGradient(output, gradient);
        double sum = 0;
        for (int i = 0; i < output.Rows; i++)
        {
            Span<T> g = gradient.Row(i);
            TensorPrimitives.Subtract(output.Row(i), target.Row(i), g);
            sum += 0.5 * double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(g));
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
            ReadOnlySpan<T> y = output.Row(i);
            ReadOnlySpan<T> t = target.Row(i);
            for (int j = 0; j < y.Length; j++)
            {
                double d = double.CreateTruncating(y[j]) - double.CreateTruncating(t[j]);
                sum += 0.5 * d * d;
            }
        }

        return sum;
    }
}
