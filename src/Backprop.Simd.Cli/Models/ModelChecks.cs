using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Cli.Models;

/// <summary>Checks that data fits a loaded model before it is used, with a message that names both shapes.</summary>
internal static class ModelChecks
{
    /// <exception cref="ArgumentException">The samples have another feature count than the model's input, or labels beyond its classes.</exception>
    public static void CheckFits<T>(Network<T> network, Dataset<T> data, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.FeatureCount != network.InputSize)
        {
            throw new ArgumentException($"The model '{path}' takes {network.InputSize} features per sample but the data has {data.FeatureCount}: it was trained on another kind of data.");
        }

        if (data.ClassCount > network.OutputSize)
        {
            throw new ArgumentException($"The model '{path}' knows {network.OutputSize} classes but the data has labels up to {data.ClassCount - 1}.");
        }
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
}
