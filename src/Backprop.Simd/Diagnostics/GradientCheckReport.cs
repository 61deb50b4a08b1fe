namespace Backprop.Simd.Diagnostics;

/// <summary>The result of a <see cref="GradientCheck"/>: one entry per parameter tensor and the input.</summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<TensorGradientError> tensors)
    {
        Tensors = tensors;
    }

    /// <summary>The errors per tensor.</summary>
    public IReadOnlyList<TensorGradientError> Tensors { get; }

    /// <summary>The worst relative error over all tensors.</summary>
    public double MaxRelativeError => Tensors.Count == 0 ? 0 : Tensors.Max(t => t.MaxRelativeError);

    /// <summary>Elements skipped at non-differentiable points, over all tensors.</summary>
    public int Skipped => Tensors.Sum(t => t.Skipped);

    /// <summary>Elements compared, over all tensors.</summary>
    public int Count => Tensors.Sum(t => t.Count);

    /// <summary>One line per tensor.</summary>
    /// <returns>The table.</returns>
    public override string ToString() => string.Join(
        Environment.NewLine,
        Tensors.Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Name,-24} {t.Count,8} {t.Skipped,6} {t.MaxRelativeError,12:E2} {t.MaxAbsoluteError,12:E2}")));
}
