using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// Every public GEMM overload rejects bad shapes, leading dimensions, lengths and sizes with an
/// <see cref="ArgumentException"/> whose message names what does not fit on both sides, before C is touched.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class GemmArgumentTests
{
    [Fact]
    public void Span_overload_rejects_a_leading_dimension_below_the_columns_naming_both()
    {
        float[] a = new float[12], b = new float[12], c = Filled(9);
        var ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(Transpose.None, Transpose.None, 3, 3, 4, 1f, a, 3, b, 3, 0f, c, 3));
        AssertNames(ex, "lda", "(3)", "4 stored columns");
        ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(Transpose.None, Transpose.None, 3, 3, 4, 1f, a, 4, b, 2, 0f, c, 3));
        AssertNames(ex, "ldb", "(2)", "3 stored columns");
        ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(Transpose.None, Transpose.Transposed, 3, 3, 4, 1f, a, 4, b, 4, 0f, c, 2));
        AssertNames(ex, "ldc", "(2)", "3 stored columns");

        // Transposed, A is stored k x m: its leading dimension is checked against m.
        ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(Transpose.Transposed, Transpose.None, 3, 3, 4, 1f, a, 2, b, 3, 0f, c, 3));
        AssertNames(ex, "lda", "(2)", "3 stored columns");
        Assert.Equal(Filled(9), c);
    }

    [Fact]
    public void Span_overload_rejects_spans_too_short_naming_the_shape_and_both_lengths()
    {
        double[] a = new double[12], b = new double[12], c = new double[9];
        var ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(Transpose.None, Transpose.None, 3, 3, 4, 1.0, a.AsSpan(0, 11), 4, b, 3, 0.0, c, 3));
        AssertNames(ex, "a", "[3 x 4]", "12 elements", "has 11");
        ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(Transpose.None, Transpose.Transposed, 3, 3, 4, 1.0, a, 4, b.AsSpan(0, 10), 4, 0.0, c, 3));
        AssertNames(ex, "b", "[3 x 4]", "12 elements", "has 10");

        // C too small, with a padded leading dimension: (m − 1) ldc + n elements are needed.
        ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(Transpose.None, Transpose.None, 3, 3, 4, 1.0, a, 4, b, 3, 0.0, c, 4));
        AssertNames(ex, "c", "[3 x 3]", "leading dimension 4", "11 elements", "has 9");
    }

    [Fact]
    public void Span_overload_rejects_negative_sizes_and_overlap()
    {
        float[] a = new float[12], b = new float[12], c = new float[12];
        foreach ((int m, int n, int k, string name) in new[] { (-1, 3, 4, "m"), (3, -1, 4, "n"), (3, 3, -1, "k") })
        {
            var ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(Transpose.None, Transpose.None, m, n, k, 1f, a, 4, b, 3, 0f, c, 3));
            Assert.Equal(name, ex.ParamName);
        }

        var overlap = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(Transpose.None, Transpose.None, 2, 2, 2, 1f, a.AsSpan(0, 4), 2, b, 2, 0f, a.AsSpan(2, 4), 2));
        AssertNames(overlap, "a", "overlaps");
        Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply((Transpose)7, Transpose.None, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2));
    }

    [Fact]
    public void View_overloads_reject_shapes_that_do_not_chain_naming_every_shape()
    {
        var a = new Matrix<float>(3, 4);
        var b = new Matrix<float>(5, 2);
        var c = new Matrix<float>(3, 2);
        c.Fill(7);

        // Inner dimensions 4 and 5.
        var ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(a, b, c));
        AssertNames(ex, "c", "[3 x 4]", "[5 x 2]", "[3 x 2]");
        ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(1f, a.AsMatrixSpan(), Transpose.None, b.AsMatrixSpan(), Transpose.None, 0f, c.AsMatrixSpan()));
        AssertNames(ex, "c", "[3 x 4]", "[5 x 2]", "[3 x 2]");

        // Transposes are applied before the check: op(A) = Aᵀ is [4 x 3].
        ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(a, new Matrix<float>(4, 2), c, Transpose.Transposed));
        AssertNames(ex, "[4 x 3]", "[4 x 2]", "[3 x 2]");

        // C of the wrong shape.
        ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(1f, a, Transpose.None, new Matrix<float>(4, 2), Transpose.None, 0f, new Matrix<float>(2, 2)));
        AssertNames(ex, "[3 x 4]", "[4 x 2]", "[2 x 2]");
        Assert.All(c.AsSpan().ToArray(), v => Assert.Equal(7f, v));

        Assert.Throws<ArgumentNullException>(() => Gemm.Multiply(null!, b, c));
    }

    [Fact]
    public void View_overload_rejects_a_result_view_that_shares_storage_with_an_operand()
    {
        var storage = new Matrix<double>(6, 4);
        var ex = Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(storage.GetRows(0, 4), new Matrix<double>(4, 4), storage.GetRows(2, 4)));
        AssertNames(ex, "overlaps");
    }

    private static float[] Filled(int length) => Enumerable.Repeat(3f, length).ToArray();

    private static void AssertNames(ArgumentException ex, params string[] parts)
    {
        string text = $"{ex.ParamName}: {ex.Message}";
        foreach (string part in parts)
        {
            Assert.True(text.Contains(part, StringComparison.Ordinal), $"The message '{text}' does not name '{part}'.");
        }
    }
}
