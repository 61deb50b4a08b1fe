using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Demo;

/// <summary>The notebook's first network: 2 inputs, 3 sigmoid hidden units, 1 sigmoid output, trained on XOR.</summary>
internal static class XorDemo
{
    public const int Epochs = 2000;

    /// <summary>The four inputs.</summary>
    public static double[,] Inputs { get; } = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };

    /// <summary>Their XOR.</summary>
    public static double[,] Targets { get; } = { { 0 }, { 1 }, { 1 }, { 0 } };

    /// <summary>Trains the network and returns its four outputs.</summary>
    public static double[] TrainAndPredict(CancellationToken cancellationToken)
    {
        Network<double> network = Network<double>.Create(inputSize: 2, seed: 1)
            .Dense(3, Activation.Sigmoid, WeightInitialization.UniformUnit)
            .Dense(1, Activation.Sigmoid, WeightInitialization.UniformUnit)
            .Build();

        // All four samples in one batch with summed gradients, as the notebook's loop over the truth table does.
        var trainer = new Trainer<double>(network, new BinaryCrossEntropy<double>(), new Sgd<double>(0.5, momentum: 0.9), new TrainingOptions
        {
            Epochs = Epochs,
            BatchSize = 4,
            Shuffle = false,
            Reduction = Reduction.Sum,
            Shards = 1,
        });
        trainer.Fit(new Matrix<double>(Inputs), new Matrix<double>(Targets), cancellationToken: cancellationToken);
        Matrix<double> output = network.Predict(new Matrix<double>(Inputs));
        return [.. Enumerable.Range(0, 4).Select(i => output[i, 0])];
    }
}
