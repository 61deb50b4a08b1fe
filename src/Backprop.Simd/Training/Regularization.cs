using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Training;

/// <summary>
/// The L1/L2 terms as the trainer applies them, in one place: on the weights (and the biases when asked), the
/// gradient terms l1 · sign(w) + l2 · w added chunk by chunk and the penalty l1 Σ|w| + (l2 / 2) Σw² summed per chunk,
/// then over the chunks in order, so the same bits come out on any thread count.
/// </summary>
internal static class Regularization
{
    /// <summary>
    /// Adds the L1/L2 gradient terms of the regularised parameters within [<paramref name="start"/>, <paramref name="start"/>
    /// + <paramref name="length"/>) to <paramref name="gradients"/> (spans over all parameters) and returns their Σ|w| and Σw².
    /// </summary>
    public static (double SumAbs, double SumSquares) AddTerms<T>(ReadOnlySpan<T> parameters, Span<T> gradients, ReadOnlySpan<(int Start, int End)> regularized, int start, int length, T l1, T l2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sumAbs = 0, sumSquares = 0;
        if (T.IsZero(l1) && T.IsZero(l2))
        {
            return (sumAbs, sumSquares);
        }

        foreach ((int rangeStart, int rangeEnd) in regularized)
        {
            int from = Math.Max(rangeStart, start);
            int to = Math.Min(rangeEnd, start + length);
            if (from >= to)
            {
                continue;
            }

            ReadOnlySpan<T> w = parameters[from..to];
            Span<T> gw = gradients[from..to];
            if (!T.IsZero(l1))
            {
                sumAbs += double.CreateTruncating(TensorPrimitives.SumOfMagnitudes(w));
                Kernels.AddL1Gradient(w, l1, gw);
            }

            if (!T.IsZero(l2))
            {
                sumSquares += double.CreateTruncating(TensorPrimitives.SumOfSquares(w));
                TensorPrimitives.MultiplyAdd(w, l2, gw, gw);
            }
        }

        return (sumAbs, sumSquares);
    }

    /// <summary>The penalty from the sums over all chunks.</summary>
    public static double Penalty(double l1, double l2, double sumAbs, double sumSquares) => (l1 * sumAbs) + (0.5 * l2 * sumSquares);
}
