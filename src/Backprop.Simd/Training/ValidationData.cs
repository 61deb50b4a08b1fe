using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Training;

/// <summary>
/// The check of a validation set. Training rows meet their check at the step that uses them (a non-finite value makes
/// the step's loss non-finite: <see cref="TrainingDivergedException"/>); a validation set is only evaluated, where a
/// NaN passes silently as a NaN validation loss and early stopping then never finds a best epoch, so it is checked
/// whole before training starts.
/// </summary>
internal static class ValidationData
{
    /// <summary>Throws naming the first non-finite value of <paramref name="values"/>, whose rows start at row <paramref name="firstRow"/> of <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static void ThrowIfNotFinite<T>(Matrix<T> values, string name, int firstRow = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> span = values.AsSpan();
        int i = Kernels.IndexOfNonFinite(span);
        if (i >= 0)
        {
            throw new ArgumentException(
                $"The validation set is not finite: {name}[{firstRow + (i / values.Columns)}, {i % values.Columns}] is {span[i]}. Validation data must be finite, as training data must; a NaN would pass as a NaN validation loss.",
                name);
        }
    }
}
