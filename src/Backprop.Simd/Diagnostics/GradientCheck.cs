using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Training;

namespace Backprop.Simd.Diagnostics;

/// <summary>
/// Compares analytic gradients (backpropagation) with numeric ones (finite differences), in double, for a whole
/// network with its loss and regularisation, or for a single layer — including layers you write yourself.
/// </summary>
/// <remarks>
/// The numeric derivative is the five-point central difference
/// <c>[8 (f(x+h) − f(x−h)) − (f(x+2h) − f(x−2h))] / 12h</c> (error O(h⁴)). Where the two- and four-step
/// differences disagree, or the second differences with steps h and 2h do (which catches a kink right at x, where
/// both central differences average the two slopes and agree), the perturbation crossed a kink (ReLU at 0, |w| at 0):
/// the step is retried 100 times smaller, and if that crosses a kink too the element is skipped and counted rather
/// than reported as a false error. The detection is a heuristic: when several kinks lie within a step at once
/// (several rows' ReLU units near 0) their effects can cancel in both tests; in random ReLU networks that happened
/// about once in 4,000–8,000 checks.
/// </remarks>
public static class GradientCheck
{
    /// <summary>Checks the gradients of a network's loss (with optional L1/L2 penalty) for every parameter tensor and for the input.</summary>
    /// <param name="network">The network; its parameters are perturbed and restored (its gradients are left alone).</param>
    /// <param name="loss">The loss.</param>
    /// <param name="inputs">The inputs, [batch x input size].</param>
    /// <param name="targets">The targets, [batch x output size].</param>
    /// <param name="reduction">Mean or sum over the batch.</param>
    /// <param name="l1">L1 strength on weights.</param>
    /// <param name="l2">L2 strength on weights.</param>
    /// <param name="step">The finite-difference step h.</param>
    /// <returns>The errors per tensor.</returns>
    /// <exception cref="ArgumentException">An input, target or parameter is not finite, or the objective is not finite there.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="l1"/> or <paramref name="l2"/> is negative or not finite, or <paramref name="step"/> is not positive and finite.</exception>
    public static GradientCheckReport Check(
        Network<double> network,
        Loss<double> loss,
        Matrix<double> inputs,
        Matrix<double> targets,
        Reduction reduction = Reduction.Mean,
        double l1 = 0,
        double l2 = 0,
        double step = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        CheckStep(step);
        CheckStrength(l1, nameof(l1));
        CheckStrength(l2, nameof(l2));
        ThrowIfNonFinite(inputs, "inputs", nameof(inputs));
        ThrowIfNonFinite(targets, "targets", nameof(targets));
        foreach (ParameterRange range in network.ParameterRanges)
        {
            ThrowIfNonFinite(network.Parameters.Slice(range.Offset, range.Length), range.Columns, $"layer {range.Layer} {range.Name}", nameof(network));
        }

        const ulong Key = 0x5EED;
        double scale = reduction == Reduction.Mean ? 1.0 / Math.Max(1, inputs.Rows) : 1.0;
        var options = new TrainingOptions { L1 = l1, L2 = l2, Reduction = reduction, MaxDegreeOfParallelism = 1 };
        double[] analytic = new double[network.ParameterCount];
        network.ComputeGradient(loss, inputs, targets, analytic, options, Key);
        var inputGradient = new Matrix<double>(inputs.Rows, inputs.Columns);
        network.ComputeInputGradient(loss, inputs, targets, inputGradient, reduction, Key);

        LayerStack<double> stack = network.Stack;
        var context = LayerContext<double>.Training(Key, maxDegreeOfParallelism: 1);
        double Objective()
        {
            ReadOnlyMatrixSpan<double> output = stack.Forward(inputs, context);
            double value = scale * loss.EvaluateAfter(network.Layers[^1], output, targets);
            foreach (ParameterRange range in network.ParameterRanges)
            {
                if (range.IsWeight)
                {
                    foreach (double w in network.Parameters.Slice(range.Offset, range.Length))
                    {
                        value += (l1 * Math.Abs(w)) + (0.5 * l2 * w * w);
                    }
                }
            }

            return value;
        }

        double center = Objective();
        ThrowIfNonFinite(center);
        double resolution = Resolution(center);
        var tensors = new List<TensorGradientError>();
        foreach (ParameterRange range in network.ParameterRanges)
        {
            tensors.Add(Compare(
                $"layer {range.Layer} {range.Name}",
                analytic.AsSpan(range.Offset, range.Length),
                i => Numeric(network.ParameterArray, range.Offset + i, step, resolution, center, Objective)));
        }

        tensors.Add(Compare("input", inputGradient.AsSpan(), i => Numeric(inputs.Array, inputs.Offset + i, step, resolution, center, Objective)));
        return new GradientCheckReport(tensors);
    }

    /// <summary>
    /// Checks a single layer against the scalar function L = Σ r ⊙ layer(x) for a fixed random r: the gradients of
    /// its parameters and of its input.
    /// </summary>
    /// <param name="layer">The layer; its parameters are perturbed and restored, its gradients overwritten.</param>
    /// <param name="inputs">The inputs, [batch x input size].</param>
    /// <param name="seed">The seed of r.</param>
    /// <param name="step">The finite-difference step h.</param>
    /// <returns>The errors per tensor.</returns>
    /// <exception cref="ArgumentException">An input or parameter is not finite, or the objective is not finite there.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is not positive and finite.</exception>
    public static GradientCheckReport Check(Layer<double> layer, Matrix<double> inputs, ulong seed = 1, double step = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(inputs);
        CheckStep(step);
        ThrowIfNonFinite(inputs, "inputs", nameof(inputs));
        foreach (Parameter<double> p in layer.Parameters)
        {
            ThrowIfNonFinite(p.Value, p.Name, nameof(layer));
        }

        var r = new Matrix<double>(inputs.Rows, layer.OutputSize);
        r.InitializeUniform(new SeededRandom(seed), -1.0, 1.0);
        var context = LayerContext<double>.Training(0x5EED, maxDegreeOfParallelism: 1);

        double Objective()
        {
            ReadOnlyMatrixSpan<double> y = layer.Forward(inputs, context);
            double sum = 0;
            for (int i = 0; i < y.Rows; i++)
            {
                ReadOnlySpan<double> row = y.Row(i);
                for (int j = 0; j < row.Length; j++)
                {
                    sum += row[j] * r[i, j];
                }
            }

            return sum;
        }

        foreach (Parameter<double> p in layer.Parameters)
        {
            p.Gradient.Clear();
        }

        double center = Objective();
        ThrowIfNonFinite(center);
        double resolution = Resolution(center);
        layer.Forward(inputs, context);
        double[] inputGradient = layer.Backward(inputs, r, context).Span.ToArray();
        var tensors = new List<TensorGradientError>();
        foreach (Parameter<double> p in layer.Parameters)
        {
            double[] analytic = p.Gradient.AsSpan().ToArray();
            tensors.Add(Compare(p.Name, analytic, i => Numeric(p.Value.Array, p.Value.Offset + i, step, resolution, center, Objective)));
        }

        tensors.Add(Compare("input", inputGradient, i => Numeric(inputs.Array, inputs.Offset + i, step, resolution, center, Objective)));
        return new GradientCheckReport(tensors);
    }

    private static void CheckStep(double step)
    {
        if (!(step > 0) || !double.IsFinite(step))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The finite-difference step must be positive and finite.");
        }
    }

    private static void CheckStrength(double strength, string name)
    {
        if (!(strength >= 0) || !double.IsFinite(strength))
        {
            throw new ArgumentOutOfRangeException(name, strength, "A penalty strength must be non-negative and finite.");
        }
    }

    private static void ThrowIfNonFinite(Matrix<double> values, string what, string name) =>
        ThrowIfNonFinite(values.AsSpan(), values.Columns, what, name);

    /// <summary>A NaN or infinity would make every finite difference NaN, which reads as a kink: the check would skip everything and look passed.</summary>
    private static void ThrowIfNonFinite(ReadOnlySpan<double> values, int columns, string what, string name)
    {
        int i = Kernels.IndexOfNonFinite(values);
        if (i >= 0)
        {
            throw new ArgumentException($"{what}[{i / columns}, {i % columns}] is {values[i]}: gradients can only be checked where everything is finite.", name);
        }
    }

    private static void ThrowIfNonFinite(double objective)
    {
        if (!double.IsFinite(objective))
        {
            throw new ArgumentException($"The objective is {objective} at the given inputs and parameters: gradients cannot be checked there.");
        }
    }

    /// <summary>
    /// The five-point difference of f along element <paramref name="index"/> and the floor below which it does not
    /// resolve a gradient to 10⁻⁶; where a kink lies within two steps, the step is retried 100 times smaller (with a
    /// floor 100 times larger), and if a kink is still crossed the element is skipped (NaN).
    /// </summary>
    private static (double Value, double Floor) Numeric(double[] values, int index, double step, double resolution, double center, Func<double> f)
    {
        for (int attempt = 0; attempt < 2; attempt++, step /= 100, resolution *= 100)
        {
            double x = values[index];
            double h = step * Math.Max(1, Math.Abs(x));
            values[index] = x + h;
            double plus1 = f();
            values[index] = x - h;
            double minus1 = f();
            values[index] = x + (2 * h);
            double plus2 = f();
            values[index] = x - (2 * h);
            double minus2 = f();
            values[index] = x;

            double d1 = (plus1 - minus1) / (2 * h);
            double d2 = (plus2 - minus2) / (4 * h);
            double magnitude = Math.Max(Math.Max(Math.Abs(d1), Math.Abs(d2)), resolution);

            // Smooth functions give d1 − d2 = O(h²); a kink inside [x − 2h, x + 2h] gives O(1), and leaves an error of
            // about |d1 − d2| / 3 in the extrapolated value: so anything above 2·10⁻⁶ is treated as a kink.
            double c1 = (plus1 - (2 * center) + minus1) / h;
            double c2 = (plus2 - (2 * center) + minus2) / (4 * h);
            if (Math.Abs(d1 - d2) <= 2e-6 * magnitude && Math.Abs(c1 - c2) <= 2e-6 * magnitude)
            {
                return (((4 * d1) - d2) / 3, resolution);
            }
        }

        return (double.NaN, resolution);
    }

    /// <summary>
    /// The smallest gradient that finite differences resolve to a relative 10⁻⁶: evaluations of an objective L carry
    /// a rounding error of some ulps of |L|, which the difference quotient with h = 10⁻³ turns into about 10⁻¹¹ |L|.
    /// </summary>
    private static double Resolution(double objective) => 1e-5 * Math.Max(1, Math.Abs(objective));

    private static TensorGradientError Compare(string name, ReadOnlySpan<double> analytic, Func<int, (double Value, double Floor)> numeric)
    {
        var numbers = new double[analytic.Length];
        var floors = new double[analytic.Length];
        double scale = 0;
        for (int i = 0; i < numbers.Length; i++)
        {
            (numbers[i], floors[i]) = numeric(i);
            if (!double.IsNaN(numbers[i]))
            {
                scale = Math.Max(scale, Math.Abs(numbers[i]));
            }
        }

        double maxRelative = 0, maxAbsolute = 0;
        int skipped = 0;
        for (int i = 0; i < numbers.Length; i++)
        {
            if (double.IsNaN(numbers[i]))
            {
                skipped++;
                continue;
            }

            double difference = Math.Abs(analytic[i] - numbers[i]);
            maxAbsolute = Math.Max(maxAbsolute, difference);
            double floor = Math.Max(1e-3 * scale, floors[i]);
            maxRelative = Math.Max(maxRelative, difference / Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numbers[i])), floor));
        }

        return new TensorGradientError(name, numbers.Length, skipped, maxRelative, maxAbsolute);
    }
}
