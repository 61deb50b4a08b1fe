using Backprop.Simd.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>MatrixSpan&lt;T&gt; and ReadOnlyMatrixSpan&lt;T&gt;: strided views, blocks that write through, Fill/Clear/CopyTo that stay inside the view.</summary>
[Trait("Category", "Kernels")]
public sealed class MatrixSpanTests
{
    [Fact]
    public void A_strided_view_addresses_rows_stride_apart()
    {
        double[] data = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        var view = new MatrixSpan<double>(data, 3, 4, 6);
        Assert.Equal((3, 4, 6), (view.Rows, view.Columns, view.Stride));
        Assert.False(view.IsContiguous);
        Assert.Equal(16, view.Span.Length);
        Assert.Equal(13.0, view[2, 1]);
        Assert.Equal([6.0, 7.0, 8.0, 9.0], view.Row(1).ToArray());
        view[1, 3] = -9;
        Assert.Equal(-9.0, data[9]);
        Assert.Equal("MatrixSpan<Double>[3 x 4]", view.ToString());

        ReadOnlyMatrixSpan<double> readOnly = view;
        Assert.Equal(-9.0, readOnly[1, 3]);
        Assert.Equal([12.0, 13.0, 14.0, 15.0], readOnly.Row(2).ToArray());
        Assert.Equal("ReadOnlyMatrixSpan<Double>[3 x 4]", readOnly.ToString());
    }

    [Fact]
    public void Constructors_validate_the_shape_stride_and_length()
    {
        float[] data = new float[10];
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixSpan<float>(data, -1, 2).Rows);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixSpan<float>(data, 2, -1).Rows);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixSpan<float>(data, 2, 4, 3).Rows);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixSpan<float>(data, 3, 3, 4).Rows);
        Assert.Contains("[3 x 3]", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOnlyMatrixSpan<float>(data, 4, 3).Rows);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOnlyMatrixSpan<float>(data, 1, 3, 2).Rows);

        // The last row needs only its columns, not a whole stride.
        Assert.Equal(3, new MatrixSpan<float>(data, 3, 2, 4).Rows);
        Assert.Equal(10, new ReadOnlyMatrixSpan<float>(data, 2, 5).Span.Length);
        Assert.True(new MatrixSpan<float>(data, 0, 7, 7).IsEmpty);
    }

    [Fact]
    public void Indices_outside_the_view_throw()
    {
        var data = new float[12];
        foreach ((int i, int j) in new[] { (-1, 0), (3, 0), (0, -1), (0, 2) })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixSpan<float>(data, 3, 2, 4)[i, j]);
            Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOnlyMatrixSpan<float>(data, 3, 2, 4)[i, j]);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixSpan<float>(data, 3, 2, 4).Row(3).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOnlyMatrixSpan<float>(data, 3, 2, 4).Row(-1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixSpan<float>(data, 3, 4).Slice(2, 2).Rows);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixSpan<float>(data, 3, 4).Slice(0, 1, 3, 2).Rows);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOnlyMatrixSpan<float>(data, 3, 4).Slice(0, 1, -1, 2).Rows);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOnlyMatrixSpan<float>(data, 3, 4).Slice(-1, 1).Rows);
    }

    [Fact]
    public void Views_without_columns_or_rows_have_empty_rows()
    {
        var data = new double[8];
        var noColumns = new MatrixSpan<double>(data, 3, 0, 2);
        Assert.True(noColumns.IsEmpty);
        Assert.Equal(0, noColumns.Row(2).Length);
        Assert.Equal(0, ((ReadOnlyMatrixSpan<double>)noColumns).Row(1).Length);
        noColumns.Fill(5);
        noColumns.Clear();
        Assert.All(data, v => Assert.Equal(0.0, v));

        MatrixSpan<double> block = new MatrixSpan<double>(data, 2, 4).Slice(1, 1, 2, 0);
        Assert.Equal((1, 0), (block.Rows, block.Columns));
        Assert.Equal(0, block.Row(0).Length);
        Assert.Equal(0, new MatrixSpan<double>(data, 2, 4).Slice(2, 0).Rows);
    }

    [Fact]
    public void A_column_block_writes_through_and_leaves_its_neighbours()
    {
        var m = new Matrix<float>(4, 5);
        MatrixSpan<float> block = m.AsMatrixSpan().Slice(1, 2, 1, 3);
        Assert.Equal((2, 3, 5), (block.Rows, block.Columns, block.Stride));
        Assert.False(block.IsContiguous);
        block.Fill(7);
        block[1, 2] = 8;
        var expected = new float[,]
        {
            { 0, 0, 0, 0, 0 },
            { 0, 7, 7, 7, 0 },
            { 0, 7, 7, 8, 0 },
            { 0, 0, 0, 0, 0 },
        };
        Assert.Equal(expected, m.ToArray());

        // A block of a block.
        MatrixSpan<float> inner = block.Slice(1, 1, 0, 2);
        inner.Clear();
        Assert.Equal([0f, 0f, 0f, 8f, 0f], m.Row(2).ToArray());

        // Copy between strided views of different strides: only the view's elements change.
        var source = new Matrix<float>(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        ((ReadOnlyMatrixSpan<float>)source).CopyTo(block);
        Assert.Equal(new float[,] { { 0, 0, 0, 0, 0 }, { 0, 1, 2, 3, 0 }, { 0, 4, 5, 6, 0 }, { 0, 0, 0, 0, 0 } }, m.ToArray());
        var back = new Matrix<float>(2, 3);
        block.CopyTo(back);
        Assert.Equal(source.ToArray(), back.ToArray());

        var ex = Assert.Throws<ArgumentException>(() => m.AsMatrixSpan().Slice(1, 2, 1, 3).CopyTo(new Matrix<float>(3, 2)));
        Assert.Contains("[2 x 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[3 x 2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_range_view_of_a_matrix_is_contiguous_and_shares_storage()
    {
        var m = new Matrix<double>(5, 2);
        MatrixSpan<double> rows = m.Slice(1, 3);
        Assert.True(rows.IsContiguous);
        rows.Fill(2);
        rows.Slice(1, 1).Clear();
        Assert.Equal([0.0, 0.0, 2.0, 2.0, 0.0, 0.0, 2.0, 2.0, 0.0, 0.0], m.AsSpan().ToArray());
    }

    /// <summary>Random parents and blocks (both possibly strided): writing through a block changes exactly the parent's
    /// elements at (r0 + i, c0 + j), Fill and CopyTo included, and reads agree with the parent.</summary>
    [Property(MaxTest = 200)]
    public Property A_block_maps_onto_its_parent() =>
        Prop.ForAll(
            (from rows in Gen.Choose(0, 9)
             from columns in Gen.Choose(0, 9)
             from pad in Gen.Choose(0, 3)
             from r0 in Gen.Choose(0, rows)
             from rc in Gen.Choose(0, rows - r0)
             from c0 in Gen.Choose(0, columns)
             from cc in Gen.Choose(0, columns - c0)
             select (rows, columns, pad, r0, rc, c0, cc)).ToArbitrary(),
            t =>
            {
                (int rows, int columns, int pad, int r0, int rc, int c0, int cc) = t;
                int stride = columns + pad;
                var data = new float[(rows * stride) + 1];
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = i;
                }

                var parent = new MatrixSpan<float>(data, rows, columns, stride);
                MatrixSpan<float> block = parent.Slice(r0, rc, c0, cc);
                Assert.Equal((rc, cc), (block.Rows, block.Columns));
                for (int i = 0; i < rc; i++)
                {
                    for (int j = 0; j < cc; j++)
                    {
                        Assert.Equal(parent[r0 + i, c0 + j], block[i, j]);
                        Assert.Equal(parent[r0 + i, c0 + j], ((ReadOnlyMatrixSpan<float>)parent).Slice(r0, rc, c0, cc)[i, j]);
                    }
                }

                block.Fill(-1);
                var source = new float[rc * cc];
                for (int i = 0; i < source.Length; i++)
                {
                    source[i] = -2 - i;
                }

                if (rc > 0 && cc > 0 && (r0 + c0) % 2 == 0)
                {
                    new ReadOnlyMatrixSpan<float>(source, rc, cc).CopyTo(block);
                }

                for (int k = 0; k < data.Length; k++)
                {
                    int i = stride == 0 ? 0 : k / stride, j = stride == 0 ? 0 : k % stride;
                    bool inside = i >= r0 && i < r0 + rc && j >= c0 && j < c0 + cc;
                    float expected = !inside ? k : (rc > 0 && cc > 0 && (r0 + c0) % 2 == 0) ? source[((i - r0) * cc) + (j - c0)] : -1;
                    Assert.True(data[k] == expected, $"{t}: element {k} is {data[k]}, expected {expected}.");
                }
            });
}
