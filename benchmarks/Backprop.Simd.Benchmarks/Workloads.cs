using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Training;

namespace Backprop.Simd.Benchmarks;

/// <summary>The training workloads of the issue, shared by the BenchmarkDotNet classes and the quick <c>train</c> entry.</summary>
internal static class Workloads
{
    /// <summary>
    /// Synthetic data of MNIST's shape: uniform pixels in [0, 1) and one-hot random labels. Timing depends on shapes
    /// only, so this stands in for Fashion-MNIST without needing the files.
    /// </summary>
    public static (Matrix<T> Inputs, Matrix<T> Targets) SyntheticMnist<T>(int samples, ulong seed = 7)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(seed);
        var x = new Matrix<T>(samples, 784);
        x.InitializeUniform(random, T.Zero, T.One);
        var y = new Matrix<T>(samples, 10);
        for (int i = 0; i < samples; i++)
        {
            y[i, random.NextInt32(10)] = T.One;
        }

        return (x, y);
    }

    /// <summary>784-256-128-10, ReLU, softmax cross-entropy, SGD momentum 0.9 (or Adam), batch 128.</summary>
    public static Trainer<T> Mlp<T>(int threads, int shards = 2, int batch = 128, bool adam = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = Network<T>.Create(784, 1).Dense(256, Activation.Relu).Dense(128, Activation.Relu).Dense(10).Build();
        Optimizer<T> optimizer = adam ? new Adam<T>(0.001) : new Sgd<T>(0.05, 0.9);
        return new Trainer<T>(network, new SoftmaxCrossEntropy<T>(), optimizer, new TrainingOptions
        {
            Epochs = 1,
            BatchSize = batch,
            Shards = shards,
            MaxDegreeOfParallelism = threads,
        });
    }

    /// <summary>
    /// The notebook's recipes: 784-hidden…-10, sigmoid everywhere, weights uniform(-1, 1), binary cross-entropy on
    /// sigmoid outputs, L2 0.5, gradients summed over 25 batches per epoch (about 2,380 samples each on 59,500), plain
    /// SGD, no shuffle. Hidden [50] is its one-hidden-layer classifier, [250, 50, 10] its deep one.
    /// </summary>
    public static Trainer<T> Notebook<T>(int[] hidden, int threads, int shards = 2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NetworkBuilder<T> builder = Network<T>.Create(784, 1);
        foreach (int width in hidden)
        {
            builder.Dense(width, Activation.Sigmoid, WeightInitialization.UniformUnit);
        }

        Network<T> network = builder.Dense(10, Activation.Sigmoid, WeightInitialization.UniformUnit).Build();
        return new Trainer<T>(network, new BinaryCrossEntropy<T>(), new Sgd<T>(0.001), new TrainingOptions
        {
            Epochs = 1,
            BatchCount = 25,
            Shuffle = false,
            Reduction = Reduction.Sum,
            L2 = 0.5,
            Shards = shards,
            MaxDegreeOfParallelism = threads,
        });
    }
}
