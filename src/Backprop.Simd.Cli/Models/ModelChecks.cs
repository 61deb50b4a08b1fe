using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Data;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Cli.Models;

/// <summary>Checks that data fits a loaded model before it is used, and that the model's outputs are numbers, with messages that name what is wrong.</summary>
internal static class ModelChecks
{
    /// <summary>Throws unless the data fits the network: as many features as its inputs, no label beyond its classes.</summary>
    /// <param name="network">The model's network.</param>
    /// <param name="data">The data.</param>
    /// <param name="path">The model file.</param>
    /// <param name="hint">Appended to the message, such as why this data was chosen.</param>
    /// <exception cref="ArgumentException">The samples have another feature count than the model's input, or labels beyond its classes.</exception>
    public static void CheckFits<T>(Network<T> network, Dataset<T> data, string path, string hint = "")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string? mismatch = Mismatch(network, data);
        if (mismatch is not null)
        {
            throw new ArgumentException($"The model '{path}' {mismatch}: it was trained on another kind of data{hint}.");
        }
    }

    /// <summary>How the data does not fit the network, worded to follow "the model", such as "takes 4 features per sample but the data has 784"; null when it fits.</summary>
    public static string? Mismatch<T>(Network<T> network, Dataset<T> data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != network.InputSize)
        {
            return $"takes {network.InputSize} features per sample but the data has {data.FeatureCount}";
        }

        return data.ClassCount > network.OutputSize ? $"knows {network.OutputSize} classes but the data has labels up to {data.ClassCount - 1}" : null;
    }

    /// <summary>Throws when the set a command evaluates or picks a sample from is empty, which IDX files of zero images allow.</summary>
    /// <param name="data">The set.</param>
    /// <param name="which">test or training.</param>
    /// <param name="description">The data set, as <see cref="Data.LoadedData{T}.Description"/> names it.</param>
    /// <exception cref="InvalidDataException">The set has no samples.</exception>
    public static void CheckNotEmpty<T>(Dataset<T> data, string which, string description)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.Count == 0)
        {
            throw new InvalidDataException($"The {which} set of {description} has no samples.");
        }
    }

    /// <summary>Throws when a weight or bias of the model is NaN or infinite, as a diverged run or a damaged file leaves it: every output would be NaN.</summary>
    /// <param name="network">The model's network.</param>
    /// <param name="path">The model file.</param>
    /// <exception cref="InvalidDataException">A parameter is not finite; the message names its layer.</exception>
    public static void CheckFiniteWeights<T>(Network<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        if (TensorPrimitives.IsFiniteAll<T>(network.Parameters))
        {
            return;
        }

        ParameterRange bad = network.ParameterRanges.First(r => !TensorPrimitives.IsFiniteAll<T>(network.Parameters.Slice(r.Offset, r.Length)));
        throw new InvalidDataException($"The model '{path}' has a non-finite weight (NaN or infinity) in layer {bad.Layer} ({network.Layers[bad.Layer].Description}): every output would be NaN, so it is not exported.");
    }

    /// <summary>
    /// Throws when an output is NaN or infinite: weights too large for the element type overflow the sums, and an
    /// arg-max or a softmax of such outputs would still name a class, as if it were a prediction.
    /// </summary>
    /// <param name="outputs">The network's outputs, one row per sample.</param>
    /// <param name="path">The model file.</param>
    /// <param name="sample">Names the sample of a row for the message, such as "test sample 17"; called only for a bad row.</param>
    /// <exception cref="InvalidDataException">An output is not finite.</exception>
    public static void CheckFinite<T>(Matrix<T> outputs, string path, Func<int, string> sample)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(sample);

        // One vectorised pass over the whole matrix; the rows are searched only to name the first bad one.
        if (TensorPrimitives.IsFiniteAll<T>(outputs.AsSpan()))
        {
            return;
        }

        int row = 0;
        while (TensorPrimitives.IsFiniteAll<T>(outputs.Row(row)))
        {
            row++;
        }

        string element = typeof(T) == typeof(double) ? "f64" : "f32";
        throw new InvalidDataException($"The model '{path}' gives a non-finite output (NaN or infinity) for {sample(row)}: its weights are probably too large for {element}, so the sums overflow.");
    }
}
