using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Data;

/// <summary>
/// Per-column standardisation, z = (x - mean) / standardDeviation, with the mean and the population standard
/// deviation fitted on training data and then applied unchanged to validation, test and prediction inputs.
/// </summary>
/// <remarks>
/// A column whose standard deviation is zero (every training value equal, such as a border pixel that is always
/// background), or so small that its reciprocal overflows, maps to 0 for every input instead of NaN or infinity.
/// The parameters are exposed through <see cref="Mean"/> and <see cref="StandardDeviation"/> so that a model file
/// can store them and rebuild the standardizer with <see cref="Standardizer{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Standardizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _mean;
    private readonly T[] _standardDeviation;
    private readonly T[] _scale;
    private readonly int[] _constantColumns;

    /// <summary>Creates a standardizer from saved parameters.</summary>
    /// <param name="mean">The mean of each column; finite.</param>
    /// <param name="standardDeviation">The standard deviation of each column; finite and not negative (0 marks a constant column, which maps to 0).</param>
    /// <exception cref="ArgumentException">The lengths differ, or a value is not finite or a deviation is negative; the message names the column.</exception>
    public Standardizer(ReadOnlySpan<T> mean, ReadOnlySpan<T> standardDeviation)
    {
        ElementType<T>.ThrowIfNotSupported();
        if (mean.Length != standardDeviation.Length)
        {
            throw new ArgumentException($"There are {mean.Length} means but {standardDeviation.Length} standard deviations.", nameof(standardDeviation));
        }

        for (int j = 0; j < mean.Length; j++)
        {
            if (!T.IsFinite(mean[j]))
            {
                throw new ArgumentException($"The mean of column {j} is {mean[j]}; it must be finite.", nameof(mean));
            }

            if (!T.IsFinite(standardDeviation[j]) || standardDeviation[j] < T.Zero)
            {
                throw new ArgumentException($"The standard deviation of column {j} is {standardDeviation[j]}; it must be finite and not negative.", nameof(standardDeviation));
            }
        }

        _mean = mean.ToArray();
        _standardDeviation = standardDeviation.ToArray();
        _scale = new T[mean.Length];
        var constant = new List<int>();
        for (int j = 0; j < _scale.Length; j++)
        {
            T scale = T.One / _standardDeviation[j];
            if (T.IsFinite(scale))
            {
                _scale[j] = scale;
            }
            else
            {
                constant.Add(j);
            }
        }

        _constantColumns = [.. constant];
    }

    /// <summary>
    /// A standardizer that multiplies by <paramref name="scale"/> (the reciprocals of the standard deviations, 0 for a
    /// constant column) instead of deriving it, so that a model file which stores the scale (ONNX Sub then Mul)
    /// rebuilds exactly the transform that was saved. <see cref="StandardDeviation"/> becomes 1 / scale (0 where the
    /// scale is 0).
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ, a value is not finite, a scale is negative, or a scale's reciprocal overflows.</exception>
    internal static Standardizer<T> FromScale(ReadOnlySpan<T> mean, ReadOnlySpan<T> scale)
    {
        if (mean.Length != scale.Length)
        {
            throw new ArgumentException($"There are {mean.Length} means but {scale.Length} scales.", nameof(scale));
        }

        var deviation = new T[scale.Length];
        for (int j = 0; j < scale.Length; j++)
        {
            if (!T.IsFinite(scale[j]) || scale[j] < T.Zero)
            {
                throw new ArgumentException($"The scale of column {j} is {scale[j]}; it must be finite and not negative.", nameof(scale));
            }

            deviation[j] = scale[j] == T.Zero ? T.Zero : T.One / scale[j];
            if (!T.IsFinite(deviation[j]))
            {
                throw new ArgumentException($"The scale of column {j} is {scale[j]}, whose reciprocal overflows.", nameof(scale));
            }
        }

        var standardizer = new Standardizer<T>(mean, deviation);
        for (int j = 0; j < scale.Length; j++)
        {
            if (scale[j] != T.Zero && standardizer._scale[j] == T.Zero)
            {
                throw new ArgumentException($"The scale of column {j} is {scale[j]}, whose reciprocal overflows.", nameof(scale));
            }
        }

        scale.CopyTo(standardizer._scale);
        return standardizer;
    }

    /// <summary>The number of columns.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>The mean of each column.</summary>
    public ReadOnlySpan<T> Mean => _mean;

    /// <summary>The population standard deviation of each column (0 for a constant column).</summary>
    public ReadOnlySpan<T> StandardDeviation => _standardDeviation;

    /// <summary>What each column is multiplied by after subtracting the mean: 1 / <see cref="StandardDeviation"/>, or 0 for a constant column.</summary>
    internal ReadOnlySpan<T> Scale => _scale;

    /// <summary>
    /// Fits the mean and population standard deviation of each column of <paramref name="features"/>, accumulating in
    /// double in a fixed order (two passes: the mean, then the mean squared deviation), so the result is deterministic.
    /// </summary>
    /// <param name="features">[samples x features], at least one row, all values finite.</param>
    /// <returns>The fitted standardizer.</returns>
    /// <exception cref="ArgumentException">There are no rows, or a value is NaN or infinite (the message names its row and column).</exception>
    public static Standardizer<T> Fit(ReadOnlyMatrixSpan<T> features)
    {
        ElementType<T>.ThrowIfNotSupported();
        int n = features.Rows;
        int d = features.Columns;
        if (n == 0)
        {
            throw new ArgumentException("Cannot fit a standardizer on zero rows.", nameof(features));
        }

        var sum = new double[d];
        var isConstant = new bool[d];
        isConstant.AsSpan().Fill(true);
        ReadOnlySpan<T> first = features.Row(0);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<T> row = features.Row(i);
            for (int j = 0; j < d; j++)
            {
                T x = row[j];
                if (!T.IsFinite(x))
                {
                    throw new ArgumentException($"features[{i}, {j}] is {x}; a standardizer is fitted on finite values only.", nameof(features));
                }

                sum[j] += double.CreateTruncating(x);
                isConstant[j] &= x == first[j];
            }
        }

        var mean = new double[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = sum[j] / n;
        }

        var squares = new double[d];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<T> row = features.Row(i);
            for (int j = 0; j < d; j++)
            {
                double deviation = double.CreateTruncating(row[j]) - mean[j];
                squares[j] += deviation * deviation;
            }
        }

        var meanT = new T[d];
        var deviationT = new T[d];
        for (int j = 0; j < d; j++)
        {
            double deviation = Math.Sqrt(squares[j] / n);
            if (!double.IsFinite(mean[j]) || !double.IsFinite(deviation))
            {
                (mean[j], deviation) = ScaledMoments(features, j);
            }

            // A constant column keeps its exact value as the mean and a deviation of exactly 0, free of rounding noise.
            meanT[j] = isConstant[j] ? first[j] : T.CreateTruncating(mean[j]);
            deviationT[j] = isConstant[j] ? T.Zero : T.CreateTruncating(deviation);
        }

        return new Standardizer<T>(meanT, deviationT);
    }

    /// <summary>
    /// The mean and standard deviation of column <paramref name="j"/> when values near double's limit overflowed the
    /// plain sums (a column of ±1e200 has a representable mean and deviation, but its squares are not): computed on the
    /// column divided by a power of two near its largest magnitude, which scales every step exactly, then scaled back.
    /// </summary>
    private static (double Mean, double Deviation) ScaledMoments(ReadOnlyMatrixSpan<T> features, int j)
    {
        int n = features.Rows;
        double largest = 0;
        for (int i = 0; i < n; i++)
        {
            largest = Math.Max(largest, Math.Abs(double.CreateTruncating(features[i, j])));
        }

        double unit = Math.ScaleB(1.0, Math.ILogB(largest));
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += double.CreateTruncating(features[i, j]) / unit;
        }

        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            double deviation = (double.CreateTruncating(features[i, j]) / unit) - mean;
            squares += deviation * deviation;
        }

        return (mean * unit, Math.Sqrt(squares / n) * unit);
    }

    /// <summary>Standardises one row: destination[j] = (source[j] - Mean[j]) / StandardDeviation[j], or 0 for a constant column.</summary>
    /// <param name="source">One row of <see cref="FeatureCount"/> values.</param>
    /// <param name="destination">The output, the same length; may be the same span as <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException">A length differs from <see cref="FeatureCount"/>.</exception>
    public void Transform(ReadOnlySpan<T> source, Span<T> destination)
    {
        if (source.Length != FeatureCount)
        {
            throw new ArgumentException($"The row has {source.Length} values but the standardizer was fitted on {FeatureCount} columns.", nameof(source));
        }

        if (destination.Length != FeatureCount)
        {
            throw new ArgumentException($"The destination has {destination.Length} values but the standardizer was fitted on {FeatureCount} columns.", nameof(destination));
        }

        TransformRow(source, destination);
    }

    /// <summary>Standardises every row of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    /// <param name="source">[samples x <see cref="FeatureCount"/>].</param>
    /// <param name="destination">The same shape; may be the same matrix as <paramref name="source"/> (in place).</param>
    /// <exception cref="ArgumentException">The column count differs from <see cref="FeatureCount"/>, or the shapes differ.</exception>
    public void Transform(ReadOnlyMatrixSpan<T> source, MatrixSpan<T> destination)
    {
        CheckColumns(source.Columns, nameof(source));
        Shape.ThrowIfDifferent(source.Rows, source.Columns, destination.Rows, destination.Columns, nameof(source), nameof(destination));
        for (int i = 0; i < source.Rows; i++)
        {
            TransformRow(source.Row(i), destination.Row(i));
        }
    }

    /// <summary>Standardises <paramref name="source"/> into a new matrix.</summary>
    /// <param name="source">[samples x <see cref="FeatureCount"/>].</param>
    /// <returns>The standardised copy.</returns>
    /// <exception cref="ArgumentException">The column count differs from <see cref="FeatureCount"/>.</exception>
    public Matrix<T> Transform(Matrix<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckColumns(source.Columns, nameof(source));
        var result = new Matrix<T>(source.Rows, source.Columns);
        Transform(source, result);
        return result;
    }

    private void CheckColumns(int columns, string name)
    {
        if (columns != FeatureCount)
        {
            throw new ArgumentException($"The data has {columns} columns but the standardizer was fitted on {FeatureCount}.", name);
        }
    }

    private void TransformRow(ReadOnlySpan<T> source, Span<T> destination)
    {
        TensorPrimitives.Subtract(source, _mean, destination);
        TensorPrimitives.Multiply(destination, _scale, destination);
        foreach (int j in _constantColumns)
        {
            destination[j] = T.Zero;
        }
    }
}
