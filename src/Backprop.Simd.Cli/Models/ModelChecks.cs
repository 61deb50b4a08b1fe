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
}
