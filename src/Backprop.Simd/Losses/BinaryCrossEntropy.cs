using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Losses;

/// <summary>
/// Binary cross-entropy on probabilities a (sigmoid outputs), summed over the outputs:
/// per sample ℓ = −Σ_j [t_j ln a_j + (1 − t_j) ln(1 − a_j)] — the original notebook's cost. After a
/// <see cref="Sigmoid{T}"/> layer the network fuses the two and the gradient with respect to the sigmoid's input is
/// exactly a − t.
/// </summary>
/// <remarks>Probabilities are clamped to [1e-12, 1 − 1e-12] (1e-7 for float) inside the logarithms, so a saturated
/// output gives a large finite loss rather than infinity. An output outside [0, 1] is no probability and is refused
/// with <see cref="ArgumentException"/>, as PyTorch's BCELoss does (end the network in a sigmoid, or use
/// <see cref="SigmoidCrossEntropy{T}"/> on logits); NaN passes through to the divergence check.</remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class BinaryCrossEntropy<T> : Loss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly double s_clamp = typeof(T) == typeof(float) ? 1e-7 : 1e-12;

    /// <inheritdoc/>
    public override string Name => "binary-cross-entropy";

    /// <inheritdoc/>
    public override double Compute(ReadOnlyMatrixSpan<T> output, ReadOnlyMatrixSpan<T> target, MatrixSpan<T> gradient, T gradientScale)
    {
        CheckShapes(output, target);
        CheckGradient(output, gradient);
        double scale = double.CreateTruncating(gradientScale);
        double sum = 0;
        for (int i = 0; i < output.Rows; i++)
        {
            ReadOnlySpan<T> a = output.Row(i);
            ReadOnlySpan<T> t = target.Row(i);
            Span<T> g = gradient.Row(i);
            for (int j = 0; j < a.Length; j++)
            {
                double p = Clamp(Probability(a, i, j, nameof(output)));
                double y = double.CreateTruncating(t[j]);
                sum += Term(p, y);
                g[j] = T.CreateTruncating(scale * (p - y) / (p * (1 - p)));
            }
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
            ReadOnlySpan<T> a = output.Row(i);
            ReadOnlySpan<T> t = target.Row(i);
            for (int j = 0; j < a.Length; j++)
            {
                sum += Term(Clamp(Probability(a, i, j, nameof(output))), double.CreateTruncating(t[j]));
            }
        }

        return sum;
    }

    /// <inheritdoc/>
    protected internal override bool FusesWith(Layer<T> lastLayer) => lastLayer is Sigmoid<T>;

    /// <inheritdoc/>
    protected internal override double ComputeFused(ReadOnlyMatrixSpan<T> activations, ReadOnlyMatrixSpan<T> target, MatrixSpan<T> inputGradient, T gradientScale)
    {
        CheckShapes(activations, target);
        CheckGradient(activations, inputGradient);
        double sum = 0;
        for (int i = 0; i < activations.Rows; i++)
        {
            ReadOnlySpan<T> a = activations.Row(i);
            ReadOnlySpan<T> t = target.Row(i);
            Span<T> g = inputGradient.Row(i);
            for (int j = 0; j < a.Length; j++)
            {
                sum += Term(Clamp(double.CreateTruncating(a[j])), double.CreateTruncating(t[j]));
                g[j] = gradientScale * (a[j] - t[j]);
            }
        }

        return sum;
    }

    /// <summary>Output (row, column) as a probability: beyond [0, 1] the clamped loss is flat while its gradient is not, so it is refused.</summary>
    private static double Probability(ReadOnlySpan<T> row, int i, int j, string outputName)
    {
        double p = double.CreateTruncating(row[j]);
        if (p is < 0 or > 1)
        {
            throw new ArgumentException($"Binary cross-entropy needs probabilities, but output [{i}, {j}] is {p}: end the network in a sigmoid, or use SigmoidCrossEntropy on logits.", outputName);
        }

        return p;
    }

    private static double Clamp(double p) => Math.Clamp(p, s_clamp, 1 - s_clamp);

    private static double Term(double p, double y) => -((y * Math.Log(p)) + ((1 - y) * Math.Log(1 - p)));
}
