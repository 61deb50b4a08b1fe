using System.Numerics;
using Backprop.Simd.Data;

namespace Backprop.Simd.Cli.Data;

/// <summary>A training set, an optional test set and what describes them.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="Train">The training samples.</param>
/// <param name="Test">The test samples, if the data set has them.</param>
/// <param name="Description">One line for the output, for example "mnist10k (embedded): 9,500 training, 500 test".</param>
/// <param name="ClassNames">The name of each class, by label.</param>
/// <param name="ImageRows">The height of one image.</param>
/// <param name="ImageColumns">The width of one image.</param>
internal sealed record LoadedData<T>(Dataset<T> Train, Dataset<T>? Test, string Description, IReadOnlyList<string> ClassNames, int ImageRows, int ImageColumns)
    where T : unmanaged, IFloatingPointIeee754<T>;
