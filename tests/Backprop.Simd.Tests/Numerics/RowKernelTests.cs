using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// The row kernels (softmax, log-softmax, argmax, bias add, column sums) against scalar oracles, for every row length
/// 0..256, 1000 and 4099, in float and double, on strided views in guarded buffers whose row gaps must stay untouched.
/// </summary>
/// <remarks>
/// Bias add and column sums are exact: the oracle adds in the same order (rows 0, 1, 2, … onto the destination).
/// Softmax is compared with e^(x - m) / Σ e^(x - m) in double, where x - m is rounded to the element type as the
/// kernel does: within 4 ulps (exp, divide) plus the worst-case relative error of a sum of n positive terms,
/// (n - 1) eps / 2. Log-softmax likewise, in absolute terms: eps (2 |y| + 2 |log Σ| + (n + 4) / 2).
/// </remarks>
[Trait("Category", "Kernels")]
public sealed class RowKernelTests
{
    [Fact]
    public void Float_softmax_matches_reference() => CheckSoftmax<float>();

    [Fact]
    public void Double_softmax_matches_reference() => CheckSoftmax<double>();

    [Fact]
    public void Float_log_softmax_matches_reference() => CheckLogSoftmax<float>();

    [Fact]
    public void Double_log_softmax_matches_reference() => CheckLogSoftmax<double>();

    [Fact]
    public void Float_bias_add_and_column_sums_are_exact() => CheckBiasAndColumnSums<float>();

    [Fact]
    public void Double_bias_add_and_column_sums_are_exact() => CheckBiasAndColumnSums<double>();

    [Fact]
    public void Float_argmax_is_the_first_maximum() => CheckArgMax<float>();

    [Fact]
    public void Double_argmax_is_the_first_maximum() => CheckArgMax<double>();

    [Fact]
    public void Softmax_of_extreme_rows()
    {
        // A very large value: no overflow, still a distribution.
        float[] p = new float[3];
        Kernels.Softmax<float>([3e38f, 0f, -3e38f], p);
        Assert.Equal([1f, 0f, 0f], p);
        Kernels.Softmax<float>([3e38f, 3e38f], p.AsSpan(0, 2));
        Assert.Equal([0.5f, 0.5f], p[..2]);
        double[] q = new double[4];
        Kernels.Softmax<double>([1e308, 1e308 - 1e292, 0, -1e308], q);
        Assert.All(q, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(1.0, q.Sum(), 1e-15);

        // -∞ is a masked entry: probability 0, the rest still sums to 1.
        Kernels.Softmax<float>([float.NegativeInfinity, 1f, 1f], p);
        Assert.Equal([0f, 0.5f, 0.5f], p);

        // NaN anywhere, or +∞ (∞ - ∞), poisons the row, as in PyTorch; log-softmax likewise.
        Kernels.Softmax<float>([1f, float.NaN, 2f], p);
        Assert.All(p, v => Assert.True(float.IsNaN(v)));
        Kernels.Softmax<float>([1f, float.PositiveInfinity, 2f], p);
        Assert.All(p, v => Assert.True(float.IsNaN(v)));
        Kernels.LogSoftmax<float>([1f, float.PositiveInfinity, 2f], p);
        Assert.All(p, v => Assert.True(float.IsNaN(v)));

        // One element: probability exactly 1.
        Kernels.Softmax<double>([-123.0], q.AsSpan(0, 1));
        Assert.Equal(1.0, q[0]);

        // Rows of a matrix are independent: a NaN row does not touch its neighbours.
        var logits = new Matrix<float>(new float[,] { { 1, 2, 3 }, { float.NaN, 0, 0 }, { 0, 0, 0 } });
        var probabilities = new Matrix<float>(3, 3);
        Kernels.SoftmaxRows<float>(logits, probabilities);
        Assert.All(probabilities.Row(1).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.Equal(1f, probabilities.Row(0).ToArray().Sum(), 6);
        Assert.Equal([1f / 3, 1f / 3, 1f / 3], probabilities.Row(2).ToArray());
    }

    [Fact]
    public void Log_softmax_is_stable_for_large_inputs()
    {
        float[] y = new float[3];
        Kernels.LogSoftmax<float>([1000f, 999f, 998f], y);
        double lse = Math.Log(1 + Math.Exp(-1) + Math.Exp(-2));
        Assert.Equal(-lse, y[0], 6);
        Assert.Equal(-1 - lse, y[1], 6);
        Assert.Equal(-2 - lse, y[2], 6);

        Kernels.LogSoftmax<float>([1000f, -1000f, 1000f], y);
        Assert.Equal([-MathF.Log(2), -2000f - MathF.Log(2), -MathF.Log(2)], y);

        double[] z = new double[2];
        Kernels.LogSoftmax<double>([-1e300, 1e300], z);
        Assert.Equal([-2e300, 0.0], z);

        Kernels.LogSoftmax<double>([7.0], z.AsSpan(0, 1));
        Assert.Equal(0.0, z[0]);

        Kernels.LogSoftmax<float>([float.NaN, 0f, 1f], y);
        Assert.All(y, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Argmax_ties_and_nan()
    {
        var x = new Matrix<double>(new double[,]
        {
            { 1, 3, 3, 2 },
            { 5, 5, 5, 5 },
            { double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity },
            { 1, double.NaN, 9, double.NaN },
            { double.PositiveInfinity, 9, double.PositiveInfinity, 1 },
            { -1, -0.5, -7, -0.5 },
            { -1, -0.0, 0.0, -2 },
        });
        int[] index = new int[8];
        index[7] = -42;
        Kernels.ArgMaxRows<double>(x, index);
        Assert.Equal([1, 0, 0, 1, 0, 1, 1, -42], index);
    }

    [Fact]
    public void Row_kernels_refuse_an_overlap_other_than_exact_in_place()
    {
        // A destination one row down passes every per-row check, yet row 1 would be computed from row 0's output.
        float[] buffer = [0, 1, 2, 3, 4, 5, 6, 7, 8];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Kernels.SoftmaxRows(new ReadOnlyMatrixSpan<float>(buffer, 2, 3), new MatrixSpan<float>(buffer.AsSpan(3), 2, 3))).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Kernels.LogSoftmaxRows(new ReadOnlyMatrixSpan<float>(buffer, 2, 3), new MatrixSpan<float>(buffer.AsSpan(3), 2, 3))).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Kernels.SoftmaxRows(new ReadOnlyMatrixSpan<float>(buffer, 2, 3, 4), new MatrixSpan<float>(buffer, 2, 3))).ParamName);
        Assert.Equal([0f, 1, 2, 3, 4, 5, 6, 7, 8], buffer);

        // Exactly in place is allowed and gives each row its own softmax.
        Kernels.SoftmaxRows(new ReadOnlyMatrixSpan<float>(buffer, 2, 3), new MatrixSpan<float>(buffer, 2, 3));
        float[] expected = new float[3];
        Kernels.Softmax<float>([3f, 4f, 5f], expected);
        Assert.Equal(expected, buffer[3..6]);

        // A bias or column sums inside the matrix would read values they have just changed.
        float[] ones = [1, 1, 1, 1, 1, 1];
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => Kernels.AddBias(new MatrixSpan<float>(ones, 2, 3), ones.AsSpan(0, 3))).ParamName);
        float[] c = [1, 2, 3, 10, 20, 30];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Kernels.ColumnSums(new ReadOnlyMatrixSpan<float>(c, 2, 3), c.AsSpan(3, 3))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Kernels.AddColumnSums(new ReadOnlyMatrixSpan<float>(c, 2, 3), c.AsSpan(0, 3))).ParamName);
        Assert.Equal([1f, 1, 1, 1, 1, 1], ones);
        Assert.Equal([1f, 2, 3, 10, 20, 30], c);

        // Interleaved column blocks of one array share no element: allowed, and computed as separate arrays would be.
        float[] wide = [0, 1, 2, 9, 9, 9, 3, 4, 5, 9, 9, 9];
        Kernels.SoftmaxRows(new ReadOnlyMatrixSpan<float>(wide, 2, 3, 6), new MatrixSpan<float>(wide.AsSpan(3), 2, 3, 6));
        Kernels.Softmax<float>([3f, 4f, 5f], expected);
        Assert.Equal(expected, wide[9..12]);
        float[] gaps = [1, 1, 1, 1, 5, 6, 7, 8, 1, 1, 1, 1];
        Kernels.AddBias(new MatrixSpan<float>(gaps, 2, 4, 8), gaps.AsSpan(4, 4));
        Assert.Equal([6f, 7, 8, 9, 5, 6, 7, 8, 6, 7, 8, 9], gaps);
        Kernels.ColumnSums(new ReadOnlyMatrixSpan<float>(gaps, 2, 4, 8), gaps.AsSpan(4, 4));
        Assert.Equal([12f, 14, 16, 18], gaps[4..8]);
    }

    private static void CheckSoftmax<T>()
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        double eps = ReferenceGemm.Epsilon<T>();
        foreach (int n in KernelData.Lengths)
        {
            string context = $"Softmax<{typeof(T).Name}>, length {n}";
            using var x = new GuardedBuffer<T>(n, GuardSide.AfterEnd, T.NaN);
            using var p = new GuardedBuffer<T>(n + 2, GuardSide.BeforeStart, T.NaN);
            KernelData.Fill(x.Span, (ulong)n, -20, 20, []);
            T[] xs = x.Span.ToArray();
            T sentinel = T.CreateTruncating(-7.0);
            p.Span.Fill(sentinel);
            Kernels.Softmax<T>(x.Span, p.Span);
            FloatAssert.SameBits<T>(x.Span, xs, context + ": the input was modified");
            FloatAssert.SameBits<T>(p.Span[n..], [sentinel, sentinel], context + ": elements past the row were written");

            double[] want = SoftmaxReference(xs, out _);
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                double got = double.CreateTruncating(p.Span[i]);
                double bound = want[i] * eps * (4 + (n / 2.0));
                Assert.True(Math.Abs(got - want[i]) <= bound, $"{context}, element {i}: got {got:R}, expected {want[i]:R} ± {bound:G3}.");
                total += got;
            }

            if (n > 0)
            {
                Assert.True(Math.Abs(total - 1) <= eps * (n + 4), $"{context}: the probabilities sum to {total:R}.");
            }

            // In place: the same bits.
            using var inPlace = new GuardedBuffer<T>(n, GuardSide.AfterEnd, T.NaN);
            xs.CopyTo(inPlace.Span);
            Kernels.Softmax<T>(inPlace.Span, inPlace.Span);
            FloatAssert.SameBits<T>(inPlace.Span, p.Span[..n], context + ", in place");

            // Rows of a strided view: each row as the span kernel gives it; the gaps untouched.
            CheckRowsOfStridedView<T>(n, (a, b) => Kernels.SoftmaxRows(a, b), (a, b) => Kernels.Softmax(a, b), context);
            x.AssertIntact();
            p.AssertIntact();
        }
    }

    private static void CheckLogSoftmax<T>()
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        double eps = ReferenceGemm.Epsilon<T>();
        foreach (int n in KernelData.Lengths)
        {
            string context = $"LogSoftmax<{typeof(T).Name}>, length {n}";
            using var x = new GuardedBuffer<T>(n, GuardSide.BeforeStart, T.NaN);
            using var y = new GuardedBuffer<T>(n, GuardSide.AfterEnd, T.NaN);
            KernelData.Fill(x.Span, (ulong)n + 5, -30, 30, []);
            T[] xs = x.Span.ToArray();
            Kernels.LogSoftmax<T>(x.Span, y.Span);
            FloatAssert.SameBits<T>(x.Span, xs, context + ": the input was modified");
            _ = SoftmaxReference(xs, out double[] logWant);
            double logSum = n == 0 ? 0 : Math.Log(logWant.Length == 0 ? 1 : LogSumOfExp(xs));
            for (int i = 0; i < n; i++)
            {
                double got = double.CreateTruncating(y.Span[i]);
                double bound = eps * ((2 * Math.Abs(logWant[i])) + (2 * Math.Abs(logSum)) + ((n + 4) / 2.0));
                Assert.True(Math.Abs(got - logWant[i]) <= bound, $"{context}, element {i}: got {got:R}, expected {logWant[i]:R} ± {bound:G3}.");
                Assert.True(got <= 0, $"{context}, element {i}: a log-probability of {got}.");
            }

            using var inPlace = new GuardedBuffer<T>(n, GuardSide.AfterEnd, T.NaN);
            xs.CopyTo(inPlace.Span);
            Kernels.LogSoftmax<T>(inPlace.Span, inPlace.Span);
            FloatAssert.SameBits<T>(inPlace.Span, y.Span, context + ", in place");
            CheckRowsOfStridedView<T>(n, (a, b) => Kernels.LogSoftmaxRows(a, b), (a, b) => Kernels.LogSoftmax(a, b), context);
            x.AssertIntact();
            y.AssertIntact();
        }
    }

    /// <summary>e^(x_i - m) / Σ e^(x_k - m) in double, with x - m rounded to T as the kernel computes it; also the log-softmax.</summary>
    private static double[] SoftmaxReference<T>(T[] x, out double[] logSoftmax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length;
        var result = new double[n];
        logSoftmax = new double[n];
        if (n == 0)
        {
            return result;
        }

        T max = x[0];
        foreach (T v in x)
        {
            max = v > max ? v : max;
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double d = double.CreateTruncating(x[i] - max);
            result[i] = Math.Exp(d);
            sum += result[i];
        }

        double logSum = Math.Log(sum);
        for (int i = 0; i < n; i++)
        {
            logSoftmax[i] = double.CreateTruncating(x[i] - max) - logSum;
            result[i] /= sum;
        }

        return result;
    }

    private static double LogSumOfExp<T>(T[] x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = x.Max();
        double sum = 0;
        foreach (T v in x)
        {
            sum += Math.Exp(double.CreateTruncating(v - max));
        }

        return sum;
    }

    private delegate void RowsKernel<T>(ReadOnlyMatrixSpan<T> x, MatrixSpan<T> destination);

    private delegate void SpanKernel<T>(ReadOnlySpan<T> x, Span<T> destination);

    /// <summary>Runs the matrix form on a 3-row view with stride n + 3 (input) and n + 1 (output): each row must equal
    /// the span kernel on that row, the gaps between rows must keep their sentinels, and the shape must match.</summary>
    private static void CheckRowsOfStridedView<T>(int n, RowsKernel<T> rows, SpanKernel<T> span, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Rows = 3;
        T sentinel = T.CreateTruncating(99.0);
        int inStride = n + 3, outStride = n + 1;
        using var input = new GuardedBuffer<T>(((Rows - 1) * inStride) + n, GuardSide.AfterEnd, T.NaN);
        using var output = new GuardedBuffer<T>(((Rows - 1) * outStride) + n, GuardSide.BeforeStart, T.NaN);
        KernelData.Fill(input.Span, (ulong)n + 11, -5, 5, []);
        output.Span.Fill(sentinel);
        var x = new ReadOnlyMatrixSpan<T>(input.Span, Rows, n, inStride);
        var y = new MatrixSpan<T>(output.Span, Rows, n, outStride);
        rows(x, y);
        var expected = new T[n];
        for (int i = 0; i < Rows; i++)
        {
            span(x.Row(i), expected);
            FloatAssert.SameBits<T>(y.Row(i), expected, $"{context}, row {i} of a strided view");
            if (i < Rows - 1)
            {
                Assert.True(output.Span[((i * outStride) + n)..((i + 1) * outStride)].ToArray().All(v => v == sentinel), $"{context}: a gap after row {i} was written.");
            }
        }

        var wrong = new MatrixSpan<T>(output.Span, Rows - 1, n, outStride);
        ArgumentException? ex = null;
        try
        {
            rows(x, wrong);
        }
        catch (ArgumentException e)
        {
            ex = e;
        }

        Assert.IsType<ArgumentException>(ex);
        Assert.Contains($"[{Rows} x {n}]", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"[{Rows - 1} x {n}]", ex.Message, StringComparison.Ordinal);
    }

    private static void CheckBiasAndColumnSums<T>()
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        T[] specials = KernelData.Specials<T>();
        T sentinel = T.CreateTruncating(-4242.0);
        foreach (int n in KernelData.Lengths)
        {
            foreach (int rows in n <= 256 ? new[] { 0, 1, 5 } : new[] { 3 })
            {
                string context = $"<{typeof(T).Name}> {rows} x {n}";
                int stride = n + 2;
                int length = rows == 0 || n == 0 ? 0 : ((rows - 1) * stride) + n;
                using var data = new GuardedBuffer<T>(length, n % 2 == 0 ? GuardSide.AfterEnd : GuardSide.BeforeStart, T.NaN);
                using var bias = new GuardedBuffer<T>(n, GuardSide.AfterEnd, T.NaN);
                using var sums = new GuardedBuffer<T>(n, GuardSide.BeforeStart, T.NaN);
                KernelData.Fill(data.Span, (ulong)((n * 8) + rows), -10, 10, specials, every: 7, phase: 3);
                KernelData.Fill(bias.Span, (ulong)n + 3, -10, 10, specials, every: 5, phase: 4);
                for (int i = 0; i + 1 < rows && n > 0; i++)
                {
                    data.Span.Slice((i * stride) + n, 2).Fill(sentinel);
                }

                T[] before = data.Span.ToArray();
                T[] b = bias.Span.ToArray();
                var matrix = new MatrixSpan<T>(data.Span, rows, n, Math.Max(stride, 1));

                // Column sums: from +0, rows in order.
                Kernels.ColumnSums<T>(matrix, sums.Span);
                var expected = new T[n];
                for (int j = 0; j < n; j++)
                {
                    T s = T.Zero;
                    for (int i = 0; i < rows; i++)
                    {
                        s += before[(i * stride) + j];
                    }

                    expected[j] = s;
                }

                FloatAssert.SameBits<T>(sums.Span, expected, "ColumnSums" + context);

                // Accumulating column sums: onto the bias values, rows in order.
                b.CopyTo(sums.Span);
                Kernels.AddColumnSums<T>(matrix, sums.Span);
                for (int j = 0; j < n; j++)
                {
                    T s = b[j];
                    for (int i = 0; i < rows; i++)
                    {
                        s += before[(i * stride) + j];
                    }

                    expected[j] = s;
                }

                FloatAssert.SameBits<T>(sums.Span, expected, "AddColumnSums" + context);
                FloatAssert.SameBits<T>(data.Span, before, "ColumnSums" + context + ": the matrix was modified");

                // Bias add, in place on the strided view; the gaps keep their sentinels.
                Kernels.AddBias<T>(matrix, bias.Span);
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        T want = before[(i * stride) + j] + b[j];
                        if (!FloatAssert.SameBits(matrix[i, j], want))
                        {
                            Assert.Fail($"AddBias{context}: [{i}, {j}] is {FloatAssert.Describe(matrix[i, j])}, expected {FloatAssert.Describe(want)}.");
                        }
                    }

                    if (i + 1 < rows && n > 0)
                    {
                        FloatAssert.SameBits<T>(data.Span.Slice((i * stride) + n, 2), [sentinel, sentinel], $"AddBias{context}: gap after row {i}");
                    }
                }

                FloatAssert.SameBits<T>(bias.Span, b, "AddBias" + context + ": the bias was modified");
                data.AssertIntact();
                bias.AssertIntact();
                sums.AssertIntact();
            }
        }

        // Lengths that do not match the columns are rejected, naming both.
        var m = new Matrix<T>(2, 3);
        var e1 = Assert.Throws<ArgumentException>(() => Kernels.AddBias<T>(m, new T[4]));
        Assert.Contains("3 columns", e1.Message, StringComparison.Ordinal);
        Assert.Contains("4 elements", e1.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Kernels.ColumnSums<T>(m, new T[2]));
        Assert.Throws<ArgumentException>(() => Kernels.AddColumnSums<T>(m, new T[4]));
    }

    private static void CheckArgMax<T>()
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        T[] specials = KernelData.Specials<T>();
        foreach (int n in KernelData.Lengths.Where(n => n > 0))
        {
            const int Rows = 5;
            int stride = n + 1;
            using var data = new GuardedBuffer<T>(((Rows - 1) * stride) + n, GuardSide.AfterEnd, T.NaN);
            var random = new SeededRandom((ulong)n);
            var x = new MatrixSpan<T>(data.Span, Rows, n, stride);

            // Row 0: random. Row 1: random with its maximum copied to a later column (a tie). Row 2: all equal.
            // Row 3: specials injected (NaN in most). Row 4: small integers, many ties.
            random.FillUniform(x.Row(0), T.CreateTruncating(-1.0), T.One);
            random.FillUniform(x.Row(1), T.CreateTruncating(-1.0), T.One);
            int first = n / 3;
            x.Row(1)[first] = T.CreateTruncating(2.0);
            x.Row(1)[n - 1] = T.CreateTruncating(2.0);
            x.Row(2).Fill(T.CreateTruncating(0.25));
            KernelData.Fill(x.Row(3), (ulong)n + 9, -1, 1, specials, every: 4, phase: n % 4);
            for (int j = 0; j < n; j++)
            {
                x.Row(4)[j] = T.CreateTruncating(random.NextInt32(3));
            }

            int[] index = new int[Rows + 1];
            index[Rows] = -1;
            Kernels.ArgMaxRows<T>(x, index);
            Assert.Equal(-1, index[Rows]);
            for (int i = 0; i < Rows; i++)
            {
                Assert.True(index[i] == ArgMaxReference<T>(x.Row(i)), $"ArgMax<{typeof(T).Name}>, length {n}, row {i}: got {index[i]}, expected {ArgMaxReference<T>(x.Row(i))}.");
            }

            Assert.Equal(n == 1 ? 0 : first, index[1]);
            Assert.Equal(0, index[2]);
            data.AssertIntact();
        }

        Assert.Throws<ArgumentException>(() => Kernels.ArgMaxRows<T>(new Matrix<T>(2, 0), new int[2]));
        Assert.Throws<ArgumentException>(() => Kernels.ArgMaxRows<T>(new Matrix<T>(3, 2), new int[2]));
        Kernels.ArgMaxRows<T>(new Matrix<T>(0, 0), []);
    }

    /// <summary>The first index of the largest element; the first NaN if any; +0 counts as larger than -0 (the IEEE 754
    /// maximum, as TensorPrimitives.IndexOfMax defines it).</summary>
    private static int ArgMaxReference<T>(ReadOnlySpan<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int j = 0; j < row.Length; j++)
        {
            if (T.IsNaN(row[j]))
            {
                return j;
            }

            bool greater = row[j] > row[best] || (row[j] == row[best] && T.IsZero(row[j]) && T.IsNegative(row[best]) && !T.IsNegative(row[j]));
            if (greater)
            {
                best = j;
            }
        }

        return best;
    }
}
