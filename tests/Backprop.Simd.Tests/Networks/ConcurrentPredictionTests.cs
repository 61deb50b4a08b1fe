using System.Collections.Concurrent;
using Backprop.Simd.Losses;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Networks;

/// <summary>
/// Eight threads predicting with one trained model at once (single samples and batches of varying size, so inference
/// buffers grow while others are in use) get exactly the bits one thread gets.
/// </summary>
public sealed class ConcurrentPredictionTests
{
    private const int Threads = 8;
    private const int Samples = 96;
    private const int Classes = 10;

    [Fact]
    public void Eight_threads_predict_the_bits_of_one_thread()
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(Samples, 48, Classes, seed: 9);
        Network<float> network = SyntheticData.Mlp<float>(48, 300, Classes, seed: 10, dropout: 0.4);
        new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(0.01), new TrainingOptions { Epochs = 2, BatchSize = 16 }).Fit(data.Inputs, data.Targets);
        var classifier = new MlpClassifier<float>(network);

        // The single-thread answers, before any concurrent use.
        Matrix<float> expectedLogits = network.Predict(data.Inputs);
        Matrix<float> expectedProbabilities = classifier.PredictProba(data.Inputs);

        var failures = new ConcurrentQueue<string>();
        using var start = new Barrier(Threads);
        Thread[] threads = [.. Enumerable.Range(0, Threads).Select(t => new Thread(() => Predict(t, data.Inputs, network, classifier, expectedLogits, expectedProbabilities, start, failures)))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(5)));
    }

    private static void Predict(int t, Matrix<float> inputs, Network<float> network, MlpClassifier<float> classifier, Matrix<float> expectedLogits, Matrix<float> expectedProbabilities, Barrier start, ConcurrentQueue<string> failures)
    {
        float[] output = new float[Classes];
        var batch = new Matrix<float>(Samples, Classes);
        start.SignalAndWait();
        try
        {
            for (int round = 0; round < 6; round++)
            {
                for (int i = (t + round) % 3; i < Samples; i += 3)
                {
                    network.Predict(inputs.Row(i), output);
                    Check(output, expectedLogits.Row(i), $"thread {t} round {round}: Network.Predict sample {i}", failures);
                    classifier.PredictProba(inputs.Row(i), output);
                    Check(output, expectedProbabilities.Row(i), $"thread {t} round {round}: PredictProba sample {i}", failures);
                }

                // Batches from different rows and of growing size on each thread.
                int first = (t * 7) % Samples;
                int rows = Math.Min(Samples - first, 8 + (round * 16) + t);
                MatrixSpan<float> block = batch.Slice(0, rows);
                network.Predict(inputs.Slice(first, rows), block);
                Check(block.Span, expectedLogits.AsSpan().Slice(first * Classes, rows * Classes), $"thread {t} round {round}: Network.Predict rows {first}..{first + rows - 1}", failures);
                classifier.PredictProba(inputs.Slice(first, rows), block);
                Check(block.Span, expectedProbabilities.AsSpan().Slice(first * Classes, rows * Classes), $"thread {t} round {round}: PredictProba rows {first}..{first + rows - 1}", failures);
            }
        }
        catch (Exception ex)
        {
            failures.Enqueue($"thread {t}: {ex}");
        }
    }

    private static void Check(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, string where, ConcurrentQueue<string> failures)
    {
        for (int j = 0; j < actual.Length; j++)
        {
            if (BitConverter.SingleToUInt32Bits(actual[j]) != BitConverter.SingleToUInt32Bits(expected[j]))
            {
                failures.Enqueue($"{where}, element {j}: {actual[j]:R}, expected {expected[j]:R}");
                return;
            }
        }
    }
}
