using System.Numerics;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Networks;

/// <summary>
/// A batch prediction is split into one row range per thread and each range into cache-sized chunks; none of that may
/// change a bit: any thread count, one sample at a time, and a strided view of the inputs all give the same outputs.
/// </summary>
public sealed class BatchPredictionTests
{
    [Fact]
    public void Float_batch_gives_the_bits_of_one_thread_and_of_single_samples() => Check<float>();

    [Fact]
    public void Double_batch_gives_the_bits_of_one_thread_and_of_single_samples() => Check<double>();

    private static void Check<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Rows = 1_203;
        const int Features = 300;
        Network<T> network = Network<T>.Create(Features, 5).Dense(320, Activation.Relu).Dense(60, Activation.Sigmoid).Dense(10).Build();

        // The inputs as a strided view: columns [3, 303) of a wider matrix.
        var wide = new Matrix<T>(Rows, Features + 7);
        wide.InitializeUniform(new SeededRandom(6), -T.One, T.One);
        ReadOnlyMatrixSpan<T> inputs = ((ReadOnlyMatrixSpan<T>)wide).Slice(0, Rows, 3, Features);

        network.MaxDegreeOfParallelism = 1;
        var expected = new Matrix<T>(Rows, 10);
        network.Predict(inputs, expected);

        foreach (int threads in new[] { 2, 3, 4, 0 })
        {
            network.MaxDegreeOfParallelism = threads;
            var actual = new Matrix<T>(Rows, 10);
            network.Predict(inputs, actual);
            FloatAssert.SameBits<T>(actual.AsSpan(), expected.AsSpan(), $"{threads} threads against 1");
        }

        var sample = new T[10];
        for (int r = 0; r < Rows; r += 97)
        {
            network.Predict(inputs.Row(r), sample);
            FloatAssert.SameBits<T>(sample, expected.Row(r), $"row {r} alone against the batch");
        }
    }
}
