using System.Diagnostics;
using System.Text.Json;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Training;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// <c>train [--samples N] [--epochs E] [--threads T] [--shards S] [--batch B] [--dtype f32|f64] [--optimizer sgd|adam]</c>:
/// times epochs of 784-256-128-10 (ReLU, softmax cross-entropy, batch 128) on synthetic data of MNIST's shape and
/// prints one JSON line per epoch.
/// </summary>
internal static class QuickTrain
{
    public static int Run(string[] args)
    {
        var options = CommandLine.Parse(args);
        return options.Get("dtype", "f32") == "f64" ? Run<double>(options) : Run<float>(options);
    }

    private static int Run<T>(CommandLine options)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int samples = options.GetInt("samples", 60000);
        int epochs = options.GetInt("epochs", 3);
        var random = new SeededRandom(7);
        var x = new Matrix<T>(samples, 784);
        x.InitializeUniform(random, T.Zero, T.One);
        var y = new Matrix<T>(samples, 10);
        for (int i = 0; i < samples; i++)
        {
            y[i, random.NextInt32(10)] = T.One;
        }

        Network<T> network = Network<T>.Create(784, 1).Dense(256, Activation.Relu).Dense(128, Activation.Relu).Dense(10).Build();
        Optimizer<T> optimizer = options.Get("optimizer", "sgd") == "adam" ? new Adam<T>(0.001) : new Sgd<T>(0.05, 0.9);
        var trainer = new Trainer<T>(network, new SoftmaxCrossEntropy<T>(), optimizer, new TrainingOptions
        {
            Epochs = 1,
            BatchSize = options.GetInt("batch", 128),
            Shards = options.GetInt("shards", 2),
            MaxDegreeOfParallelism = options.GetInt("threads", 0),
        });
        for (int e = 0; e < epochs; e++)
        {
            long before = GC.GetTotalAllocatedBytes(true);
            var watch = Stopwatch.StartNew();
            trainer.Fit(x, y);
            double seconds = watch.Elapsed.TotalSeconds;
            long allocated = GC.GetTotalAllocatedBytes(true) - before;
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["epoch"] = e + 1,
                ["seconds"] = Math.Round(seconds, 4),
                ["loss"] = trainer.History[^1].Loss,
                ["allocated_bytes"] = allocated,
            }));
        }

        return 0;
    }
}
