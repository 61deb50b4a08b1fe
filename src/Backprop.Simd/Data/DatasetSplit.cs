using System.Numerics;

namespace Backprop.Simd.Data;

/// <summary>
/// A data set cut in two by <see cref="Dataset{T}.Split(int)"/>: <see cref="HeldOut"/>, its first samples (a test or
/// validation set), and <see cref="Remaining"/>, every sample after them (what is left to train on). The parts are
/// read by name, not by position, so a held-out set cannot be mistaken for the training set.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public readonly record struct DatasetSplit<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal DatasetSplit(Dataset<T> heldOut, Dataset<T> remaining)
    {
        HeldOut = heldOut;
        Remaining = remaining;
    }

    /// <summary>The first samples, as many as were asked for: typically the test or validation set.</summary>
    public Dataset<T> HeldOut { get; }

    /// <summary>Every sample after <see cref="HeldOut"/>, in order: typically the training set.</summary>
    public Dataset<T> Remaining { get; }
}
