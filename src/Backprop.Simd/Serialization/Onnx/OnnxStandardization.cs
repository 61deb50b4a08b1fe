using System.Numerics;
using Backprop.Simd.Data;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Turns an imported graph's leading Sub, Div or Mul by constants into a <see cref="Standardizer{T}"/>: Sub gives the
/// mean (0 without one), Div the standard deviation and Mul its reciprocal, the scale (1 without either). A Mul by
/// 0 is a constant column, which the standardizer maps to 0 just as the graph does for every finite input. A scale is
/// kept as stored, so what <see cref="OnnxExporter"/> wrote comes back bit for bit; a Div is computed as a multiply by
/// the reciprocal, as the standardizer does, which may differ from the graph's division in the last bit.
/// </summary>
internal static class OnnxStandardization
{
    /// <summary>The standardizer of <paramref name="chain"/>'s input, <paramref name="features"/> columns, or null when it has none.</summary>
    public static Standardizer<T>? Create<T>(OnnxChainReader chain, int features)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (chain.Mean is null && chain.Scale is null)
        {
            return null;
        }

        T[] mean = chain.Mean is { } sub
            ? OnnxConstants.Convert<T>(Values(sub, chain.ElementType, features), sub.Node, "mean")
            : new T[features];
        if (chain.Scale is not { } step)
        {
            var ones = new T[features];
            ones.AsSpan().Fill(T.One);
            return new Standardizer<T>(mean, ones);
        }

        (OnnxNode node, OnnxTensor tensor, bool divides) = (step.Node, step.Tensor, step.Node.OpType == "Div");
        double[] factors = Values(step, chain.ElementType, features);
        for (int j = 0; j < factors.Length; j++)
        {
            if (divides && factors[j] == 0)
            {
                throw new InvalidDataException($"{node.Describe()}: {tensor.Describe()} divides column {j} by 0.");
            }

            if (factors[j] < 0)
            {
                throw new NotSupportedException(
                    $"{node.Describe()}: {tensor.Describe()} has {factors[j]} for column {j}; a standardisation {(divides ? "divides" : "multiplies")} by positive values only.");
            }
        }

        T[] converted = OnnxConstants.Convert<T>(factors, node, divides ? "standard deviation" : "scale");
        try
        {
            if (!divides)
            {
                return Standardizer<T>.FromScale(mean, converted);
            }

            for (int j = 0; j < converted.Length; j++)
            {
                if (!T.IsFinite(T.One / converted[j]))
                {
                    throw new ArgumentException($"The standard deviation of column {j} is {factors[j]}, whose reciprocal overflows {typeof(T).Name}.");
                }
            }

            return new Standardizer<T>(mean, converted);
        }
        catch (ArgumentException e)
        {
            throw new NotSupportedException($"{node.Describe()}: {e.Message}", e);
        }
    }

    /// <summary>The step's constant, one value per input feature (after any Flatten).</summary>
    private static double[] Values(OnnxChainReader.Step step, int type, int features) =>
        OnnxConstants.Row(step.Tensor, step.Node, type, step.FeatureDims ?? [features]);
}
