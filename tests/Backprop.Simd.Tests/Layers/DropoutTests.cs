using Backprop.Simd.Layers;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Layers;

/// <summary>Inverted dropout: expectation preserved in training, masks seeded and fresh at every pass, identity at inference.</summary>
public sealed class DropoutTests
{
    private const double Rate = 0.3;

    [Fact]
    public void Training_output_is_zero_or_input_over_keep_probability_and_preserves_the_expectation()
    {
        const int Passes = 2000;
        var layer = new Dropout<double>(250, Rate, seed: 5);
        var input = new Matrix<double>(4, 250);
        input.InitializeUniform(new SeededRandom(1), 0.5, 1.5);
        double scale = 1.0 / (1.0 - Rate);
        var sums = new double[input.Length];
        long dropped = 0, other = 0;
        for (int pass = 0; pass < Passes; pass++)
        {
            ReadOnlySpan<double> y = layer.Forward(input, LayerContext<double>.Training()).Span;
            ReadOnlySpan<double> x = input.AsSpan();
            for (int i = 0; i < y.Length; i++)
            {
                dropped += y[i] == 0 ? 1 : 0;
                other += y[i] != 0 && y[i] != x[i] * scale ? 1 : 0;
                sums[i] += y[i];
            }
        }

        Assert.True(other == 0, $"{other} outputs are neither 0 nor input / (1 − rate)");

        // Each element's mean over the passes has standard deviation x·sqrt(rate / (1 − rate) / passes) ≤ 0.023: 5σ.
        for (int i = 0; i < sums.Length; i++)
        {
            double x = input.AsSpan()[i];
            Assert.True(Math.Abs((sums[i] / Passes) - x) < 5 * x * Math.Sqrt(Rate / (1 - Rate) / Passes), $"element {i}: mean {sums[i] / Passes}, input {x}");
        }

        // The drop fraction over two million draws: standard deviation 3.2e-4.
        double fraction = (double)dropped / ((long)Passes * input.Length);
        Assert.InRange(fraction, Rate - 0.002, Rate + 0.002);
    }

    [Fact]
    public void Backward_multiplies_by_the_same_mask()
    {
        var layer = new Dropout<float>(64, Rate, seed: 9);
        var input = new Matrix<float>(3, 64);
        input.Fill(1);
        var outputGradient = new Matrix<float>(3, 64);
        outputGradient.InitializeUniform(new SeededRandom(2), -1, 1);
        float[] y = layer.Forward(input, LayerContext<float>.Training()).Span.ToArray();
        ReadOnlySpan<float> dx = layer.Backward(input, outputGradient, LayerContext<float>.Training()).Span;
        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(y[i] * outputGradient.AsSpan()[i], dx[i]);
        }
    }

    [Fact]
    public void Masks_are_seeded_and_fresh_at_every_pass()
    {
        float[][] first = Masks(seed: 11, passes: 3);
        float[][] again = Masks(seed: 11, passes: 3);
        float[][] other = Masks(seed: 12, passes: 3);
        for (int pass = 0; pass < 3; pass++)
        {
            FloatAssert.SameBits<float>(again[pass], first[pass], $"same seed, pass {pass}");
            Assert.NotEqual(first[pass], other[pass]);
        }

        Assert.NotEqual(first[0], first[1]);
        Assert.NotEqual(first[1], first[2]);
    }

    [Fact]
    public void A_context_key_sets_the_mask_on_any_thread_and_leaves_the_own_stream_alone()
    {
        var ones = new Matrix<float>(3, 50);
        ones.Fill(1);
        float[] Mask(Dropout<float> layer, ulong? key) => layer.Forward(ones, LayerContext<float>.Training(key)).Span.ToArray();

        var layer = new Dropout<float>(50, Rate, seed: 21);
        float[] keyed = Mask(layer, 99);
        float[]? elsewhere = null;
        var thread = new Thread(() => elsewhere = Mask(new Dropout<float>(50, Rate, seed: 5), 99));
        thread.Start();
        thread.Join();
        FloatAssert.SameBits<float>(elsewhere, keyed, "the same key on another layer and thread");
        Assert.NotEqual(keyed, Mask(layer, 100));
        Assert.Contains(0f, keyed);

        // The backward pass multiplies by the keyed pass's mask.
        var outputGradient = new Matrix<float>(3, 50);
        outputGradient.Fill(2);
        float[] dx = layer.Backward(ones, outputGradient, LayerContext<float>.Training(100)).Span.ToArray();
        Assert.Equal(Mask(new Dropout<float>(50, Rate), 100).Select(m => 2 * m), dx);

        // Keyed passes do not advance the layer's own stream: its first unkeyed mask is a fresh layer's.
        FloatAssert.SameBits<float>(Mask(layer, null), Mask(new Dropout<float>(50, Rate, seed: 21), null), "first mask of the own stream");
    }

    [Fact]
    public void A_network_draws_seeded_fresh_masks_outside_a_trainer()
    {
        float[][] first = NetworkMasks(seed: 3);
        float[][] again = NetworkMasks(seed: 3);
        float[][] other = NetworkMasks(seed: 4);
        FloatAssert.SameBits<float>(again[0], first[0], "same seed, first pass");
        FloatAssert.SameBits<float>(again[1], first[1], "same seed, second pass");
        Assert.NotEqual(first[0], first[1]);
        Assert.NotEqual(first[0], other[0]);
    }

    [Fact]
    public void Inference_is_the_identity()
    {
        var layer = new Dropout<double>(33, 0.5, seed: 1);
        var input = new Matrix<double>(5, 33);
        input.InitializeUniform(new SeededRandom(3), -2, 2);
        layer.Forward(input, LayerContext<double>.Training());
        FloatAssert.SameBits<double>(layer.Forward(input, LayerContext<double>.Inference()).Span, input.AsSpan(), "inference output");

        // A network with dropout predicts exactly what the same weights without dropout predict.
        Network<double> with = Network<double>.Create(33, seed: 8).Dense(20, Activation.Tanh).Dropout(0.5).Dense(4).Build();
        Network<double> without = Network<double>.Create(33, seed: 8).Dense(20, Activation.Tanh).Dense(4).Build();
        FloatAssert.SameBits<double>(with.Parameters, without.Parameters, "parameters");
        FloatAssert.SameBits<double>(with.Predict(input).AsSpan(), without.Predict(input).AsSpan(), "predictions");
    }

    private static float[][] Masks(ulong seed, int passes)
    {
        var layer = new Dropout<float>(40, Rate, seed);
        var ones = new Matrix<float>(2, 40);
        ones.Fill(1);
        return [.. Enumerable.Range(0, passes).Select(_ => layer.Forward(ones, LayerContext<float>.Training()).Span.ToArray())];
    }

    /// <summary>A network of one dropout layer on ones: the masks its two training passes drew.</summary>
    private static float[][] NetworkMasks(ulong seed)
    {
        Network<float> network = Network<float>.Create(40, seed).Dropout(Rate).Build();
        var ones = new Matrix<float>(2, 40);
        ones.Fill(1);
        return [network.Forward(ones, training: true).Span.ToArray(), network.Forward(ones, training: true).Span.ToArray()];
    }
}
