using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Backprop.Simd.Numerics;
using Backprop.Simd.Training;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// <c>train [--recipe mlp|deep|one50] [--samples N] [--epochs E] [--threads T] [--shards S] [--batch B] [--dtype f32|f64] [--optimizer sgd|adam] [--busy-cores N]</c>:
/// times epochs of 784-256-128-10 (ReLU, softmax cross-entropy, batch 128; <c>mlp</c>) or of the notebook's deep
/// recipe (<c>deep</c>, [250, 50, 10]) or one-hidden-layer recipe (<c>one50</c>) on synthetic data of MNIST's shape and prints one JSON line per epoch.
/// Each line carries a SHA-256 of the weights after that epoch, so runs with different thread counts (same shards) can
/// be checked for bitwise-identical training on any machine, and the seconds of the epoch's phases (the shards, their
/// busiest shard, the reduction, the update; see <see cref="TrainingPhases"/>). With <c>--busy-cores N</c>, N threads of
/// another process spin throughout (see <see cref="BusyCores"/>).
/// </summary>
internal static class QuickTrain
{
    public static int Run(string[] args)
    {
        var options = CommandLine.Parse(args);
        return options.Get("dtype", "f32") == "f64" ? Run<double>(options) : Run<float>(options);
    }

    private static int Run<T>(CommandLine options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string recipe = options.Get("recipe", "mlp");
        bool notebook = recipe is "deep" or "one50";
        int samples = options.GetInt("samples", notebook ? 59_500 : 60_000);
        int epochs = options.GetInt("epochs", 3);
        int threads = options.GetInt("threads", 0);
        int shards = options.GetInt("shards", 2);
        (Matrix<T> x, Matrix<T> y) = Workloads.SyntheticMnist<T>(samples);
        Trainer<T> trainer = notebook
            ? Workloads.Notebook<T>(recipe == "deep" ? [250, 50, 10] : [50], threads, shards)
            : Workloads.Mlp<T>(threads, shards, options.GetInt("batch", 128), options.Get("optimizer", "sgd") == "adam");
        using BusyCores busy = BusyCores.Start(options.GetInt("busy-cores", 0));
        for (int e = 0; e < epochs; e++)
        {
            long before = GC.GetTotalAllocatedBytes(true);
            TrainingPhases phasesBefore = trainer.Phases;
            var watch = Stopwatch.StartNew();
            trainer.Fit(x, y);
            double seconds = watch.Elapsed.TotalSeconds;
            long allocated = GC.GetTotalAllocatedBytes(true) - before;
            TrainingPhases phases = trainer.Phases - phasesBefore;
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["recipe"] = recipe,
                ["dtype"] = typeof(T) == typeof(float) ? "f32" : "f64",
                ["threads"] = threads,
                ["busy_cores"] = options.GetInt("busy-cores", 0),
                ["epoch"] = e + 1,
                ["seconds"] = Math.Round(seconds, 4),
                ["loss"] = trainer.History[^1].Loss,
                ["allocated_bytes"] = allocated,
                ["shards"] = shards,
                ["weights_sha256"] = Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(trainer.Network.Parameters))),
                ["shards_s"] = Math.Round(phases.Shards, 4),
                ["busiest_shard_s"] = Math.Round(phases.BusiestShard, 4),
                ["reduction_s"] = Math.Round(phases.Reduction, 4),
                ["update_s"] = Math.Round(phases.Update, 4),
            }));
        }

        return 0;
    }
}
