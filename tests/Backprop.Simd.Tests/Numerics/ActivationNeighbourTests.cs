using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// An activation's result must be a function of the element's value alone: not of the values beside it, nor of where
/// the span lies in memory, nor of whether it is computed alone. .NET's double vector exp recomputes a whole vector with
/// scalar code (which rounds differently) when one lane is NaN or beyond ±708: TensorPrimitives.Sigmoid on it gave a
/// raw-pixel network (pre-activations of hundreds) other bits from run to run. Tanh, on the same exp, is checked too,
/// and in double the exp kernel itself, which softmax, log-softmax and the cross-entropy losses use.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class ActivationNeighbourTests
{
    public static TheoryData<string> Kernels_ => ["Sigmoid", "Tanh"];

    public static TheoryData<string> DoubleKernels => ["Sigmoid", "Tanh", "Exp"];

    [Theory]
    [MemberData(nameof(Kernels_))]
    public void Float_results_do_not_depend_on_neighbours_or_address(string kernel) => Check<float>(kernel);

    [Theory]
    [MemberData(nameof(DoubleKernels))]
    public void Double_results_do_not_depend_on_neighbours_or_address(string kernel) => Check<double>(kernel);

    [Theory]
    [InlineData("Sigmoid")]
    [InlineData("Exp")]
    public void Double_results_keep_the_bits_of_TensorPrimitives_within_the_vector_exp_range(string kernel)
    {
        var x = new double[4096];
        new SeededRandom(3).FillUniform(x, -708.0, 708.0);
        new SeededRandom(4).FillUniform(x.AsSpan(0, 2048), -40.0, 40.0);
        var expected = new double[x.Length];
        var actual = new double[x.Length];
        if (kernel == "Sigmoid")
        {
            TensorPrimitives.Sigmoid<double>(x, expected);
            Kernels.Sigmoid<double>(x, actual);
        }
        else
        {
            TensorPrimitives.Exp<double>(x, expected);
            Kernels.Exp<double>(x, actual);
        }

        FloatAssert.SameBits<double>(actual, expected, $"Kernels.{kernel} against TensorPrimitives.{kernel} in [-708, 708]");
    }

    [Theory]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(-1000.0, 0.0)]
    [InlineData(-708.5, 0.0)]
    [InlineData(1000.0, 1.0)]
    [InlineData(double.PositiveInfinity, 1.0)]
    public void Sigmoid_saturates_beyond_the_exp_range(double x, double expected)
    {
        var y = new double[1];
        Kernels.Sigmoid<double>([x], y);
        Assert.Equal(expected, y[0]);
    }

    private static void Check<T>(string kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Action<ReadOnlyMemory<T>, Memory<T>> run = kernel switch
        {
            "Sigmoid" => (x, d) => Kernels.Sigmoid(x.Span, d.Span),
            "Tanh" => (x, d) => Kernels.Tanh(x.Span, d.Span),
            _ => (x, d) => Kernels.Exp(x.Span, d.Span),
        };
        int n = 40 * Vector512<T>.Count;
        var probes = new T[n];
        new SeededRandom(11).FillUniform(probes, T.CreateTruncating(-40.0), T.CreateTruncating(40.0));

        // Every third element replaced by a value outside the vector exp's range.
        T[] extremes = [T.CreateTruncating(-1000.0), T.CreateTruncating(1000.0), T.NaN, T.NegativeInfinity, T.PositiveInfinity, T.CreateTruncating(-709.0)];
        T[] mixed = (T[])probes.Clone();
        for (int i = 0, k = 0; i < n; i += 3, k++)
        {
            mixed[i] = extremes[k % extremes.Length];
        }

        var alone = new T[n];
        run(probes, alone);
        var reference = new T[n];
        run(mixed, reference);
        for (int i = 0; i < n; i++)
        {
            if (i % 3 != 0)
            {
                FloatAssert.SameBits<T>([reference[i]], [alone[i]], $"{kernel}<{typeof(T).Name}>({FloatAssert.Describe(probes[i])}) beside extreme values");
            }
        }

        // The same inputs at every offset of a larger array: another alignment, other vector groupings.
        for (int offset = 1; offset < 2 * Vector512<T>.Count; offset++)
        {
            var x = new T[n + offset];
            var d = new T[n + offset];
            mixed.CopyTo(x, offset);
            run(x.AsMemory(offset), d.AsMemory(offset));
            FloatAssert.SameBits<T>(d.AsSpan(offset), reference, $"{kernel}<{typeof(T).Name}> at offset {offset}");
        }

        // Each element alone.
        var one = new T[1];
        for (int i = 0; i < n; i += 7)
        {
            run(mixed.AsMemory(i, 1), one);
            FloatAssert.SameBits<T>(one, [reference[i]], $"{kernel}<{typeof(T).Name}>({FloatAssert.Describe(mixed[i])}) alone");
        }
    }
}
