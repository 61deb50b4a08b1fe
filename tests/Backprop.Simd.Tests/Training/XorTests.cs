using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>The notebook's first network: 2-3-1 with sigmoids learns XOR.</summary>
public sealed class XorTests
{
    private static readonly double[,] s_inputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    private static readonly double[,] s_targets = { { 0 }, { 1 }, { 1 }, { 0 } };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_2_3_1_sigmoid_network_learns_xor(ulong seed)
    {
        Network<double> network = Network<double>.Create(2, seed)
            .Dense(3, Activation.Sigmoid, WeightInitialization.UniformUnit)
            .Dense(1, Activation.Sigmoid, WeightInitialization.UniformUnit)
            .Build();
        var trainer = new Trainer<double>(network, new BinaryCrossEntropy<double>(), new Sgd<double>(0.5, momentum: 0.9), new TrainingOptions
        {
            Epochs = 2000,
            BatchSize = 4,
            Shuffle = false,
            Reduction = Reduction.Sum,
            Shards = 1,
        });
        trainer.Fit(new Matrix<double>(s_inputs), new Matrix<double>(s_targets));

        Matrix<double> output = network.Predict(new Matrix<double>(s_inputs));
        for (int i = 0; i < 4; i++)
        {
            Assert.True(output[i, 0] > 0.5 == s_targets[i, 0] > 0.5, $"seed {seed}: XOR{s_inputs[i, 0]}{s_inputs[i, 1]} = {output[i, 0]:F3}, expected {s_targets[i, 0]}");
        }
    }

    public static TheoryData<ulong> Seeds() => [.. Enumerable.Range(1, 20).Select(i => (ulong)i)];
}
