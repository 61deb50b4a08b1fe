using Backprop.Simd.Data;
using Backprop.Simd.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Simd.Tests.Data;

/// <summary>The standardizer against a double-precision reference.</summary>
[Trait("Category", "Data")]
public sealed class StandardizerTests
{
    private static Arbitrary<(int Rows, int Columns, ulong Seed)> Shapes() =>
        (from rows in Gen.Choose(1, 60)
         from columns in Gen.Choose(1, 40)
         from seed in Gen.Choose(0, int.MaxValue)
         select (rows, columns, (ulong)seed)).ToArbitrary();

    /// <summary>Random data with a constant column every fifth column, and offsets that make naive one-pass variance lose digits.</summary>
    private static Matrix<T> Sample<T>(int rows, int columns, ulong seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(seed);
        var matrix = new Matrix<T>(rows, columns);
        for (int j = 0; j < columns; j++)
        {
            double offset = (j % 3) * 1000.0;
            double constant = random.NextGaussian() * 10;
            for (int i = 0; i < rows; i++)
            {
                matrix[i, j] = T.CreateChecked(j % 5 == 4 ? constant : offset + (random.NextGaussian() * (j + 1)));
            }
        }

        return matrix;
    }

    private static (double[] Mean, double[] Deviation) Reference<T>(Matrix<T> data)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var mean = new double[data.Columns];
        var deviation = new double[data.Columns];
        for (int j = 0; j < data.Columns; j++)
        {
            double[] column = [.. Enumerable.Range(0, data.Rows).Select(i => double.CreateChecked(data[i, j]))];
            mean[j] = column.Average();
            double m = mean[j];
            deviation[j] = Math.Sqrt(column.Select(x => (x - m) * (x - m)).Sum() / column.Length);
        }

        return (mean, deviation);
    }

    [Property(MaxTest = 60)]
    public Property Fitted_statistics_match_the_double_reference_in_double() =>
        Prop.ForAll(Shapes(), s => Check<double>(s.Rows, s.Columns, s.Seed, 1e-12));

    [Property(MaxTest = 60)]
    public Property Fitted_statistics_match_the_double_reference_in_float() =>
        Prop.ForAll(Shapes(), s => Check<float>(s.Rows, s.Columns, s.Seed, 2e-6));

    private static void Check<T>(int rows, int columns, ulong seed, double tolerance)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Matrix<T> data = Sample<T>(rows, columns, seed);
        (double[] mean, double[] deviation) = Reference(data);
        Standardizer<T> standardizer = Standardizer<T>.Fit(data);
        Assert.Equal(columns, standardizer.FeatureCount);

        Matrix<T> result = standardizer.Transform(data);
        for (int j = 0; j < columns; j++)
        {
            double scale = Math.Max(1, Math.Abs(mean[j]));
            Assert.True(Math.Abs(double.CreateChecked(standardizer.Mean[j]) - mean[j]) <= tolerance * scale, $"mean of column {j}");
            // Every fifth column is constant by construction; in float two Gaussian draws near 1000 can also round to
            // the same value (2 rows, 1 in ~10^4 columns), and such a column is constant too.
            bool constant = Enumerable.Range(1, rows - 1).All(i => data[i, j] == data[0, j]);
            Assert.True(constant || j % 5 != 4, $"column {j} was built constant");
            if (constant)
            {
                Assert.Equal(T.Zero, standardizer.StandardDeviation[j]);
            }
            else
            {
                Assert.True(Math.Abs(double.CreateChecked(standardizer.StandardDeviation[j]) - deviation[j]) <= tolerance * scale, $"deviation of column {j}");
            }

            for (int i = 0; i < rows; i++)
            {
                double z = double.CreateChecked(result[i, j]);
                Assert.True(double.IsFinite(z));
                double expected = constant ? 0 : (double.CreateChecked(data[i, j]) - mean[j]) / deviation[j];

                // The mean stored in T is off by up to half an ulp of itself, which (x − mean) / deviation turns into
                // |mean| ulp / (2 deviation): large for two close draws around 2000 in float (2 rows, a deviation of 1e-3).
                double meanRounding = constant ? 0 : Math.Abs(mean[j]) * double.CreateChecked(T.BitIncrement(T.One) - T.One) / (2 * deviation[j]);
                Assert.True(Math.Abs(z - expected) <= (tolerance * 1000 * Math.Max(1, Math.Abs(expected))) + meanRounding, $"z[{i}, {j}] = {z}, expected {expected}");
            }
        }
    }

    [Fact]
    public void Zero_variance_columns_map_to_zero_for_any_input()
    {
        var train = new Matrix<float>(new float[,] { { 5, 1, 0 }, { 5, 3, 0 }, { 5, 5, 0 } });
        Standardizer<float> standardizer = Standardizer<float>.Fit(train);
        Assert.Equal([5f, 3f, 0f], standardizer.Mean.ToArray());
        Assert.Equal(0f, standardizer.StandardDeviation[0]);
        Assert.Equal(0f, standardizer.StandardDeviation[2]);

        var other = new Matrix<float>(new float[,] { { 7, 3, 255 }, { float.MaxValue, 1, float.PositiveInfinity } });
        Matrix<float> result = standardizer.Transform(other);
        Assert.Equal(0f, result[0, 0]);
        Assert.Equal(0f, result[0, 2]);
        Assert.Equal(0f, result[1, 0]);
        Assert.Equal(0f, result[1, 2]);
    }

    [Fact]
    public void Transform_uses_the_training_statistics()
    {
        var train = new Matrix<double>(new double[,] { { 0, 10 }, { 2, 30 } });
        Standardizer<double> standardizer = Standardizer<double>.Fit(train);
        Assert.Equal([1.0, 20.0], standardizer.Mean.ToArray());
        Assert.Equal([1.0, 10.0], standardizer.StandardDeviation.ToArray());

        var test = new Matrix<double>(new double[,] { { 5, 0 }, { 1, 20 } });
        standardizer.Transform(test, test);
        Assert.Equal(new double[,] { { 4, -2 }, { 0, 0 } }, test.ToArray());

        Span<double> row = [3, 40];
        standardizer.Transform(row, row);
        Assert.Equal([2.0, 2.0], row.ToArray());
    }

    [Fact]
    public void Saved_parameters_rebuild_the_same_standardizer()
    {
        Matrix<float> data = Sample<float>(30, 12, 9);
        Standardizer<float> fitted = Standardizer<float>.Fit(data);
        var rebuilt = new Standardizer<float>(fitted.Mean.ToArray(), fitted.StandardDeviation.ToArray());
        Assert.Equal(fitted.Transform(data).AsSpan().ToArray(), rebuilt.Transform(data).AsSpan().ToArray());
    }

    [Fact]
    public void Values_near_the_limit_of_double_have_their_moments()
    {
        // The plain sums of ±1e200 (squares 1e400) and of 1e308 + 1e308 overflow, but mean and deviation exist.
        var data = new Matrix<double>(new double[,] { { 1e200, 1e308, 1 }, { -1e200, 1e308, 2 }, { 1e200, -1e308, 3 }, { -1e200, -1e308, 4 } });
        Standardizer<double> standardizer = Standardizer<double>.Fit(data);
        Assert.Equal([0.0, 0.0, 2.5], standardizer.Mean.ToArray());
        Assert.Equal([1e200, 1e308, Math.Sqrt(1.25)], standardizer.StandardDeviation.ToArray());
        double[] first = standardizer.Transform(data).Row(0).ToArray();
        Assert.Equal([1.0, 1.0, -1.5 / Math.Sqrt(1.25)], first, (expected, actual) => Math.Abs(expected - actual) <= 2e-16 * Math.Abs(expected));
    }

    [Fact]
    public void A_negative_zero_deviation_or_scale_is_zero_not_negative()
    {
        var standardizer = new Standardizer<float>([1f], [-0f]);
        Assert.Equal([0f], standardizer.Transform(new Matrix<float>(new float[,] { { 5f } })).AsSpan().ToArray());
        Assert.Equal([0f], Standardizer<float>.FromScale([1f], [-0f]).Transform(new Matrix<float>(new float[,] { { 5f } })).AsSpan().ToArray());
    }

    [Fact]
    public void Bad_parameters_and_inputs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Standardizer<float>([1f, 2f], [1f]));
        ArgumentException e = Assert.Throws<ArgumentException>(() => new Standardizer<float>([1f, 2f], [1f, -1f]));
        Assert.Contains("column 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Standardizer<float>([float.NaN], [1f]));
        Assert.Throws<ArgumentException>(() => Standardizer<float>.Fit(new Matrix<float>(0, 3)));
        e = Assert.Throws<ArgumentException>(() => Standardizer<double>.Fit(new Matrix<double>(new double[,] { { 1, 2 }, { 3, double.NaN } })));
        Assert.Contains("features[1, 1] is NaN", e.Message, StringComparison.Ordinal);

        Standardizer<float> standardizer = Standardizer<float>.Fit(new Matrix<float>(2, 3));
        Assert.Throws<ArgumentException>(() => standardizer.Transform(new Matrix<float>(2, 4)));
        Assert.Throws<ArgumentException>(() => standardizer.Transform(new float[3], new float[2]));
    }
}
