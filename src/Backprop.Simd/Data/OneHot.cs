using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Data;

/// <summary>One-hot encoding of class labels: label c becomes a row of zeros with a one in column c.</summary>
public static class OneHot
{
    /// <summary>Encodes <paramref name="labels"/> as a new [labels x <paramref name="classCount"/>] matrix.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="labels">Class indices in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes; positive.</param>
    /// <returns>The one-hot matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classCount) (the message names its index and value), or <paramref name="classCount"/> is not positive.</exception>
    public static Matrix<T> Encode<T>(ReadOnlySpan<int> labels, int classCount)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Encode<T>(labels, classCount, nameof(labels));

    /// <summary>As <see cref="Encode{T}(ReadOnlySpan{int}, int)"/>, naming the caller's argument in the exception.</summary>
    internal static Matrix<T> Encode<T>(ReadOnlySpan<int> labels, int classCount, string labelsName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        CheckLabels(labels, classCount, labelsName);
        var result = new Matrix<T>(labels.Length, classCount);
        for (int i = 0; i < labels.Length; i++)
        {
            result[i, labels[i]] = T.One;
        }

        return result;
    }

    /// <summary>Encodes <paramref name="labels"/> into <paramref name="destination"/>, overwriting every element.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="labels">Class indices in [0, destination.Columns).</param>
    /// <param name="destination">[labels x classes]; its column count is the number of classes.</param>
    /// <exception cref="ArgumentException">The number of rows differs from the number of labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, destination.Columns); the message names its index and value. Nothing is written then.</exception>
    public static void Encode<T>(ReadOnlySpan<int> labels, MatrixSpan<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (destination.Rows != labels.Length)
        {
            throw new ArgumentException($"The destination has {destination.Rows} rows but there are {labels.Length} labels.", nameof(destination));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(destination.Columns, nameof(destination));
        CheckLabels(labels, destination.Columns, nameof(labels));
        for (int i = 0; i < labels.Length; i++)
        {
            Span<T> row = destination.Row(i);
            row.Clear();
            row[labels[i]] = T.One;
        }
    }

    internal static void CheckLabels(ReadOnlySpan<int> labels, int classCount, string labelsName)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(labelsName, labels[i], $"Label {labels[i]} at index {i} is outside [0, {classCount}).");
            }
        }
    }
}
