using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Serialization;

/// <summary>
/// Refuses to write out a network with a NaN or infinite parameter: every output of such a model is NaN, and the
/// ONNX importers (this library's among them) reject it, so the file could only mislead.
/// </summary>
internal static class FiniteParameters
{
    /// <summary>Throws unless every parameter of <paramref name="network"/> is finite, naming the first one that is not.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">A parameter is NaN or infinite.</exception>
    public static void ThrowIfNonFinite<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);

        // One vectorised pass; the ranges are searched only to name the first bad parameter.
        ReadOnlySpan<T> values = network.Parameters;
        if (TensorPrimitives.IsFiniteAll(values))
        {
            return;
        }

        foreach (ParameterRange range in network.ParameterRanges)
        {
            ReadOnlySpan<T> tensor = values.Slice(range.Offset, range.Length);
            int i = FirstNonFinite(tensor);
            if (i >= 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The network's parameter {range.Name}[{i / range.Columns}, {i % range.Columns}] of layer {range.Layer} ({network.Layers[range.Layer].Description}) is {tensor[i]}; a network with a NaN or infinite parameter is not written out."),
                    nameof(network));
            }
        }
    }

    private static int FirstNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
