using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Cli.Tests;

/// <summary>Building and comparing batches of network outputs.</summary>
internal static class Predictions
{
    /// <summary>The rows as a matrix of <typeparamref name="T"/>.</summary>
    public static Matrix<T> Rows<T>(double[][] rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var matrix = new Matrix<T>(rows.Length, rows[0].Length);
        for (int r = 0; r < rows.Length; r++)
        {
            for (int c = 0; c < rows[r].Length; c++)
            {
                matrix[r, c] = T.CreateChecked(rows[r][c]);
            }
        }

        return matrix;
    }

    /// <summary>The softmax of each row: class probabilities from logits.</summary>
    public static Matrix<T> Softmax<T>(Matrix<T> logits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var probabilities = new Matrix<T>(logits.Rows, logits.Columns);
        for (int r = 0; r < logits.Rows; r++)
        {
            Kernels.Softmax<T>(logits.Row(r), probabilities.Row(r));
        }

        return probabilities;
    }

    /// <summary>The values of each row, widened to double.</summary>
    public static double[][] Values<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. Enumerable.Range(0, matrix.Rows).Select(r => matrix.Row(r).ToArray().Select(double.CreateChecked).ToArray())];

    /// <summary>The same predicted class (largest value) in every row and every value within <paramref name="tolerance"/>.</summary>
    public static void AssertSame(double[][] expected, double[][] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.Equal(expected[r].Length, actual[r].Length);
            Assert.Equal(TensorPrimitives.IndexOfMax<double>(expected[r]), TensorPrimitives.IndexOfMax<double>(actual[r]));
            for (int c = 0; c < expected[r].Length; c++)
            {
                Assert.True(Math.Abs(expected[r][c] - actual[r][c]) <= tolerance, $"row {r}, column {c}: expected {expected[r][c]}, got {actual[r][c]}");
            }
        }
    }
}
