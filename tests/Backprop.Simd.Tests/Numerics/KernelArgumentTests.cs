using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// The argument rules every span kernel shares: a short destination, inputs of different lengths and a destination
/// that overlaps an input at an offset throw <see cref="ArgumentException"/> before anything is written; the very
/// same span as input and destination (in place) is allowed and tested with the oracles in
/// <see cref="ElementwiseKernelTests"/>.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class KernelArgumentTests
{
    private const int N = 37;

    public static TheoryData<string> UnaryNames => new([.. ElementwiseKernelTests.UnaryKernelNames, "Softmax", "LogSoftmax"]);

    public static TheoryData<string> BinaryNames => ElementwiseKernelTests.BinaryNames;

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void Unary_kernel_rejects_bad_spans(string name)
    {
        UnaryKernel<float> kernel = name switch
        {
            "Softmax" => Kernels.Softmax,
            "LogSoftmax" => Kernels.LogSoftmax,
            _ => ElementwiseKernelTests.Unary<float>(name).Kernel,
        };
        float[] buffer = Enumerable.Range(1, (2 * N) + 1).Select(i => i / 10f).ToArray();
        float[] before = buffer.ToArray();

        // Destination one element short.
        ExpectArgumentException(() => kernel(buffer.AsSpan(0, N), buffer.AsSpan(N + 1, N - 1)), "destination", $"{name}: short destination");

        // Destination overlapping the input one element later, and one element earlier.
        ExpectArgumentException(() => kernel(buffer.AsSpan(0, N), buffer.AsSpan(1, N)), "x", $"{name}: destination at x + 1");
        ExpectArgumentException(() => kernel(buffer.AsSpan(1, N), buffer.AsSpan(0, N)), "x", $"{name}: destination at x - 1");
        Assert.Equal(before, buffer);

        // Longer destination and exact in-place use are fine (results are checked by the oracle tests).
        kernel(buffer.AsSpan(0, N), buffer.AsSpan(N, N + 1));
        kernel(buffer.AsSpan(0, N), buffer.AsSpan(0, N));
    }

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void Binary_kernel_rejects_bad_spans(string name)
    {
        BinaryKernel<double> kernel = ElementwiseKernelTests.Binary<double>(name).Kernel;
        double[] buffer = Enumerable.Range(1, 3 * (N + 1)).Select(i => i / 10.0).ToArray();
        double[] before = buffer.ToArray();

        ExpectArgumentException(() => kernel(buffer.AsSpan(0, N), buffer.AsSpan(N + 1, N - 1), buffer.AsSpan(2 * (N + 1), N)), "y", $"{name}: y shorter than x");
        ExpectArgumentException(() => kernel(buffer.AsSpan(0, N - 1), buffer.AsSpan(N + 1, N), buffer.AsSpan(2 * (N + 1), N)), "y", $"{name}: x shorter than y");
        ExpectArgumentException(() => kernel(buffer.AsSpan(0, N), buffer.AsSpan(N + 1, N), buffer.AsSpan(2 * (N + 1), N - 1)), "destination", $"{name}: short destination");
        ExpectArgumentException(() => kernel(buffer.AsSpan(0, N), buffer.AsSpan(N + 1, N), buffer.AsSpan(2, N)), "x", $"{name}: destination inside x");
        ExpectArgumentException(() => kernel(buffer.AsSpan(0, N), buffer.AsSpan(N + 1, N), buffer.AsSpan(N + 3, N)), "y", $"{name}: destination inside y");
        ExpectArgumentException(() => kernel(buffer.AsSpan(3, N), buffer.AsSpan(N + 1, N), buffer.AsSpan(0, N)), "x", $"{name}: x inside the destination");
        Assert.Equal(before, buffer);

        // x and y may overlap each other: only the destination matters.
        kernel(buffer.AsSpan(0, N), buffer.AsSpan(1, N), buffer.AsSpan(2 * (N + 1), N));
        Assert.Equal(before.AsSpan(0, 2 * (N + 1)).ToArray(), buffer.AsSpan(0, 2 * (N + 1)).ToArray());
    }

    [Fact]
    public void Axpy_rejects_bad_spans()
    {
        float[] buffer = new float[(2 * N) + 1];
        ExpectArgumentException(() => Kernels.Axpy(2f, buffer.AsSpan(0, N), buffer.AsSpan(N, N + 1)), "y", "Axpy: y longer than x");
        ExpectArgumentException(() => Kernels.Axpy(2f, buffer.AsSpan(0, N), buffer.AsSpan(N, N - 1)), "y", "Axpy: y shorter than x");
        ExpectArgumentException(() => Kernels.Axpy(2f, buffer.AsSpan(0, N), buffer.AsSpan(1, N)), "x", "Axpy: y at x + 1");
    }

    private delegate void Call();

    private static void ExpectArgumentException(Call call, string parameter, string context)
    {
        try
        {
            call();
        }
        catch (ArgumentException e) when (e.GetType() == typeof(ArgumentException))
        {
            Assert.True(e.ParamName == parameter, $"{context}: the exception names '{e.ParamName}', expected '{parameter}' ({e.Message}).");
            Assert.False(string.IsNullOrWhiteSpace(e.Message), context);
            return;
        }

        Assert.Fail($"{context}: no ArgumentException.");
    }
}
