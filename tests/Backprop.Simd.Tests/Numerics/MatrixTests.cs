using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>Matrix&lt;T&gt;: construction, indexing, views that share storage, copies, argument checks and initialisers.</summary>
[Trait("Category", "Kernels")]
public sealed class MatrixTests
{
    [Fact]
    public void A_new_matrix_has_its_shape_and_zeros()
    {
        var m = new Matrix<float>(3, 4);
        Assert.Equal(3, m.Rows);
        Assert.Equal(4, m.Columns);
        Assert.Equal(12, m.Length);
        Assert.All(m.AsSpan().ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal("Matrix<Single>[3 x 4]", m.ToString());

        var empty = new Matrix<double>(0, 5);
        Assert.Equal(0, empty.Length);
        Assert.Equal(5, empty.Columns);
        Assert.True(empty.AsMatrixSpan().IsEmpty);
    }

    [Fact]
    public void Constructors_copy_their_values_row_by_row()
    {
        double[] values = [1, 2, 3, 4, 5, 6];
        var m = new Matrix<double>(2, 3, values);
        values[0] = 100;
        Assert.Equal(1.0, m[0, 0]);
        Assert.Equal(6.0, m[1, 2]);
        Assert.Equal(4.0, m[1, 0]);

        var grid = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var g = new Matrix<float>(grid);
        grid[1, 1] = -1;
        Assert.Equal((2, 3), (g.Rows, g.Columns));
        Assert.Equal(5f, g[1, 1]);
        Assert.Equal(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }, g.ToArray());
        Assert.Equal([4f, 5f, 6f], g.Row(1).ToArray());

        var ex = Assert.Throws<ArgumentException>(() => new Matrix<double>(2, 3, new double[5]));
        Assert.Contains("[2 x 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("5", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new Matrix<float>(null!));
    }

    [Fact]
    public void Invalid_shapes_and_element_types_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<float>(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<float>(2, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<float>(1 << 16, 1 << 16));
        var ex = Assert.Throws<NotSupportedException>(() => new Matrix<Half>(2, 2));
        Assert.Contains("Half", ex.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => Matrix<Half>.Wrap(new Half[4], 0, 2, 2));
        Assert.Throws<NotSupportedException>(() => new SeededRandom(1).FillUniform<Half>(new Half[2], Half.Zero, Half.One));
    }

    [Fact]
    public void The_indexer_is_a_reference_and_checks_bounds()
    {
        var m = new Matrix<float>(2, 3);
        m[1, 2] = 7;
        m[0, 1] += 2;
        ref float r = ref m[1, 0];
        r = 5;
        Assert.Equal([0f, 2f, 0f, 5f, 0f, 7f], m.AsSpan().ToArray());

        foreach ((int i, int j) in new[] { (-1, 0), (2, 0), (0, -1), (0, 3), (int.MinValue, 0), (0, int.MaxValue) })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => m[i, j]);
            Assert.Contains("[2 x 3]", ex.Message, StringComparison.Ordinal);
            Assert.Equal(i is >= 0 and < 2 ? "column" : "row", ex.ParamName);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(2).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(-1).Length);
    }

    [Fact]
    public void Row_slice_and_get_rows_share_storage()
    {
        var m = new Matrix<double>(4, 3);
        m.Row(1).Fill(1);
        Assert.Equal(1.0, m[1, 2]);

        MatrixSpan<double> rows = m.Slice(2, 2);
        rows[0, 0] = 5;
        rows.Row(1)[2] = 6;
        Assert.Equal(5.0, m[2, 0]);
        Assert.Equal(6.0, m[3, 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Slice(3, 2).Rows);
        Assert.Contains("Rows 1..2147483648 are outside", Assert.Throws<ArgumentOutOfRangeException>(() => m.Slice(1, int.MaxValue).Rows).Message, StringComparison.Ordinal);

        Matrix<double> view = m.GetRows(1, 2);
        Assert.Equal((2, 3), (view.Rows, view.Columns));
        Assert.Equal([1.0, 1.0, 1.0, 5.0, 0.0, 0.0], view.AsSpan().ToArray());
        view[1, 1] = 9;
        Assert.Equal(9.0, m[2, 1]);
        m[1, 0] = -3;
        Assert.Equal(-3.0, view[0, 0]);

        // A view of a view composes offsets; Fill and Clear stay inside it.
        Matrix<double> inner = view.GetRows(1, 1);
        inner.Fill(4);
        Assert.Equal([-3.0, 1.0, 1.0], m.Row(1).ToArray());
        Assert.Equal([4.0, 4.0, 4.0], m.Row(2).ToArray());
        Assert.Equal([0.0, 0.0, 6.0], m.Row(3).ToArray());
        inner.Clear();
        Assert.Equal([0.0, 0.0, 0.0], m.Row(2).ToArray());
        Assert.Equal(6.0, m[3, 2]);
        Assert.Equal([-3.0, 1.0, 1.0, 0.0, 0.0, 0.0], view.AsMemory().ToArray());

        Assert.Throws<ArgumentOutOfRangeException>(() => m.GetRows(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.GetRows(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => view.GetRows(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => view[2, 0]);
    }

    [Fact]
    public void Wrap_uses_the_array_without_copying()
    {
        float[] array = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();
        var m = Matrix<float>.Wrap(array, 3, 2, 3);
        Assert.Equal(3f, m[0, 0]);
        Assert.Equal(8f, m[1, 2]);
        m[1, 0] = -1;
        Assert.Equal(-1f, array[6]);
        array[4] = 40;
        Assert.Equal(40f, m[0, 1]);
        Assert.Equal(new float[,] { { 3, 40, 5 }, { -1, 7, 8 } }, m.ToArray());

        Assert.Throws<ArgumentOutOfRangeException>(() => Matrix<float>.Wrap(array, 5, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Matrix<float>.Wrap(array, -1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Matrix<float>.Wrap(array, 0, -1, 1));
        Assert.Throws<ArgumentNullException>(() => Matrix<float>.Wrap(null!, 0, 1, 1));
        Assert.Equal(0, Matrix<float>.Wrap(array, 10, 0, 3).Length);
    }

    [Fact]
    public void Copies_are_independent_and_shapes_must_match()
    {
        var a = new Matrix<double>(new double[,] { { 1, 2 }, { 3, 4 } });
        Matrix<double> clone = a.Clone();
        clone[0, 0] = 10;
        Assert.Equal(1.0, a[0, 0]);

        double[,] array = a.ToArray();
        array[1, 1] = 40;
        Assert.Equal(4.0, a[1, 1]);

        var b = new Matrix<double>(2, 2);
        a.CopyTo(b);
        Assert.Equal(a.ToArray(), b.ToArray());

        var ex = Assert.Throws<ArgumentException>(() => a.CopyTo(new Matrix<double>(1, 4)));
        Assert.Contains("[2 x 2]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[1 x 4]", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => a.CopyTo(null!));
    }

    [Fact]
    public void Implicit_views_cover_the_whole_matrix()
    {
        var m = new Matrix<float>(2, 3);
        MatrixSpan<float> view = m;
        ReadOnlyMatrixSpan<float> readOnly = m;
        view[1, 1] = 3;
        Assert.Equal(3f, readOnly[1, 1]);
        Assert.Equal((2, 3, 3), (view.Rows, view.Columns, view.Stride));
        Assert.True(readOnly.IsContiguous);
        Assert.Throws<ArgumentNullException>(() => { MatrixSpan<float> v = (Matrix<float>)null!; return v.Rows; });
    }

    [Fact]
    public void Uniform_initialisation_stays_within_its_bounds()
    {
        var m = new Matrix<float>(200, 500);
        m.InitializeUniform(new SeededRandom(3), -0.25f, 0.75f);
        float[] v = m.AsSpan().ToArray();
        Assert.All(v, x => Assert.InRange(x, -0.25f, 0.75f));
        Assert.True(v.Min() < -0.24f && v.Max() > 0.74f, "The values should cover the interval.");
        Assert.Equal(0.25, v.Average(x => (double)x), 0.01);

        // The upper bound is exclusive, in double as well.
        var d = new Matrix<double>(100, 1000);
        d.InitializeUniform(new SeededRandom(4), 1.0, 2.0);
        Assert.All(d.AsSpan().ToArray(), x => Assert.True(x >= 1.0 && x < 2.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.InitializeUniform(new SeededRandom(4), 2.0, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.InitializeUniform(new SeededRandom(4), 0, double.PositiveInfinity));
        Assert.Throws<ArgumentNullException>(() => d.InitializeUniform(null!, 0, 1));
    }

    /// <summary>100 000 samples: the sample mean is within 5 standard errors (σ / √n) of μ, the sample standard deviation
    /// within 5 of its standard errors (σ / √(2n)) of σ.</summary>
    [Fact]
    public void Normal_initialisation_has_the_requested_mean_and_deviation()
    {
        var m = new Matrix<double>(100, 1000);
        m.InitializeNormal(new SeededRandom(5), 3.0, 0.5);
        AssertMoments(m.AsSpan().ToArray(), 3.0, 0.5);

        var f = new Matrix<float>(1000, 100);
        f.InitializeNormal(new SeededRandom(6), -1f, 2f);
        AssertMoments(f.AsSpan().ToArray().Select(x => (double)x).ToArray(), -1.0, 2.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.InitializeNormal(new SeededRandom(6), 0f, -1f));
    }

    [Fact]
    public void Glorot_uniform_uses_the_limit_sqrt_6_over_fan_in_plus_fan_out()
    {
        var w = new Matrix<float>(784, 128);
        w.InitializeGlorotUniform(new SeededRandom(7));
        double limit = Math.Sqrt(6.0 / (784 + 128));
        float[] v = w.AsSpan().ToArray();
        float limitInFloat = (float)limit;
        Assert.All(v, x => Assert.True(Math.Abs(x) <= limitInFloat, $"{x} is outside ±{limit}."));
        Assert.True(v.Max() > 0.999 * limit && v.Min() < -0.999 * limit, "The values should reach the limits.");

        // The uniform distribution on ±limit has variance limit² / 3.
        AssertMoments(v.Select(x => (double)x).ToArray(), 0, limit / Math.Sqrt(3));
    }

    [Fact]
    public void He_normal_uses_the_deviation_sqrt_2_over_fan_in()
    {
        var w = new Matrix<double>(50, 2000);
        w.InitializeHeNormal(new SeededRandom(8));
        AssertMoments(w.AsSpan().ToArray(), 0, Math.Sqrt(2.0 / 50));
    }

    [Fact]
    public void The_same_seed_gives_the_same_values()
    {
        var a = new Matrix<float>(30, 40);
        var b = new Matrix<float>(30, 40);
        var c = new Matrix<float>(30, 40);
        a.InitializeHeNormal(new SeededRandom(42));
        b.InitializeHeNormal(new SeededRandom(42));
        c.InitializeHeNormal(new SeededRandom(43));
        Assert.Equal(a.AsSpan().ToArray(), b.AsSpan().ToArray());
        Assert.NotEqual(a.AsSpan().ToArray(), c.AsSpan().ToArray());

        a.InitializeGlorotUniform(new SeededRandom(1));
        b.InitializeGlorotUniform(new SeededRandom(1));
        Assert.Equal(a.AsSpan().ToArray(), b.AsSpan().ToArray());
    }

    private static void AssertMoments(double[] values, double mean, double deviation)
    {
        int n = values.Length;
        double sampleMean = values.Average();
        double sampleDeviation = Math.Sqrt(values.Sum(x => (x - sampleMean) * (x - sampleMean)) / (n - 1));
        Assert.True(Math.Abs(sampleMean - mean) < 5 * deviation / Math.Sqrt(n), $"Mean {sampleMean}, expected {mean}.");
        Assert.True(Math.Abs(sampleDeviation - deviation) < 5 * deviation / Math.Sqrt(2.0 * n), $"Standard deviation {sampleDeviation}, expected {deviation}.");
    }
}
