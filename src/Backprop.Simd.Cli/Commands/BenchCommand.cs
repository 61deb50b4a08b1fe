using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Cli.Training;
using Backprop.Simd.Diagnostics;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Commands;

/// <summary>
/// <c>backprop bench</c>: GEMM GFLOP/s for a few square sizes and the time of one training epoch of
/// 784-256-128-10 on synthetic data, on this machine.
/// </summary>
internal sealed class BenchCommand
{
    /// <summary>Each GEMM size is timed over at least this long, after two warm-up calls.</summary>
    private const double MinimumSeconds = 0.25;

    private const int BatchSize = 128;

    /// <summary>The largest GEMM size: three 4096 x 4096 double matrices take 384 MiB.</summary>
    private const int MaxSize = 4096;

    /// <summary>The most synthetic samples: 100,000 x 784 doubles take 600 MiB.</summary>
    private const int MaxSamples = 100_000;

    private static readonly int[] s_network = [784, 256, 128, 10];

    private readonly Option<string> _sizes = new("--sizes") { Description = $"Square GEMM sizes m = n = k, separated by commas (at most {MaxSize}).", DefaultValueFactory = _ => "128,256,512,1024", HelpName = "N1,N2,..." };
    private readonly Option<int> _samples = OptionFactory.Integer("--samples", $"Synthetic samples in the training epoch (at most {MaxSamples:N0}).", 10_000, 1);
    private readonly Option<string> _dtype = OptionFactory.ElementType();
    private readonly Option<int> _threads = OptionFactory.Threads();
    private readonly Option<bool> _json = OptionFactory.Json("one object per measurement (type \"measurement\", benchmark gemm or train_epoch, dtype, threads, kernel and its figures), then a summary object (type \"summary\", dtype, threads, kernel, hardware, best_gflops, samples_per_second)");

    public Command Create(CliConsole console)
    {
        var command = new Command("bench", "Measure GEMM GFLOP/s and one training epoch of 784-256-128-10 (ReLU, softmax, SGD with momentum, batches of 128) on synthetic data.");
        foreach (Option option in (Option[])[_sizes, _samples, _dtype, _threads, _json])
        {
            command.Add(option);
        }

        command.SetAction((result, cancellationToken) =>
        {
            int[] sizes = LayerList.Parse(result.GetValue(_sizes)!, "--sizes");
            if (sizes.Any(n => n > MaxSize))
            {
                throw new ArgumentException($"--sizes {result.GetValue(_sizes)}: bench measures GEMM sizes up to {MaxSize}, so that they fit in memory.");
            }

            if (result.GetValue(_samples) > MaxSamples)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--samples {result.GetValue(_samples)}: bench trains on up to {MaxSamples:N0} samples, so that they fit in memory."));
            }

            var settings = new Settings(sizes, result.GetValue(_samples), result.GetValue(_threads), result.GetValue(_json), result.GetValue(_dtype)!);
            return Task.FromResult(settings.DType == "f64" ? Run<double>(console, settings, cancellationToken) : Run<float>(console, settings, cancellationToken));
        });
        return command.WithExamples(
            new("backprop bench", "GEMM at 128 to 1024 and one training epoch, on every processor."),
            new("backprop bench --sizes 256,1024 --dtype f64 -t 1 --json", "Double precision on one thread, as JSON."));
    }

    private static int Run<T>(CliConsole console, Settings settings, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var table = TextTable.Create("benchmark", "size", "threads", "time", "rate");
        if (!settings.Json)
        {
            console.Out.WriteLine($"backprop bench, {settings.DType}: {HardwareInfo.Describe()}");
        }

        double bestGflops = double.NaN;
        foreach (int size in settings.Sizes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (double seconds, double gflops) = TimeGemm<T>(size, settings.Threads);
            bestGflops = double.IsNaN(bestGflops) ? gflops : Math.Max(bestGflops, gflops);
            if (settings.Json)
            {
                JsonLines.Write(console.Out, json =>
                {
                    WriteCommon(json, "gemm", settings);
                    json.WriteNumber("size", size);
                    json.WriteNumber("seconds_per_call", seconds);
                    json.WriteNumber("gflops", gflops);
                });
            }
            else
            {
                table.AddTextRow("GEMM", $"{size}x{size}x{size}", Threads(settings.Threads), Milliseconds(seconds), string.Create(CultureInfo.InvariantCulture, $"{gflops:F1} GFLOP/s"));
            }
        }

        double epoch = TimeEpoch<T>(settings.Samples, settings.Threads, cancellationToken);
        double rate = settings.Samples / epoch;
        if (settings.Json)
        {
            JsonLines.Write(console.Out, json =>
            {
                WriteCommon(json, "train_epoch", settings);
                json.WriteString("network", string.Join('-', s_network));
                json.WriteNumber("samples", settings.Samples);
                json.WriteNumber("batch_size", BatchSize);
                json.WriteNumber("seconds", epoch);
                json.WriteNumber("samples_per_second", rate);
            });
            JsonLines.Write(console.Out, json =>
            {
                json.WriteString("type", "summary");
                json.WriteString("dtype", settings.DType);
                json.WriteNumber("threads", ThreadsUsed(settings.Threads));
                json.WriteString("kernel", HardwareInfo.GemmPath);
                json.WriteString("hardware", HardwareInfo.Describe());
                json.WriteNumberOrNull("best_gflops", bestGflops);
                json.WriteNumber("samples_per_second", rate);
            });
        }
        else
        {
            table.AddTextRow("training epoch", $"{string.Join('-', s_network)}, {settings.Samples:N0} samples", Threads(settings.Threads), Milliseconds(epoch), string.Create(CultureInfo.InvariantCulture, $"{rate:N0} samples/s"));
            console.Spectre.Write(table);
        }

        return ExitCodes.Success;
    }

    private static void WriteCommon(System.Text.Json.Utf8JsonWriter json, string benchmark, Settings settings)
    {
        json.WriteString("type", "measurement");
        json.WriteString("benchmark", benchmark);
        json.WriteString("dtype", settings.DType);
        json.WriteNumber("threads", ThreadsUsed(settings.Threads));
        json.WriteString("kernel", HardwareInfo.GemmPath);
    }

    /// <summary>Seconds per call and GFLOP/s of C = A B for n x n matrices.</summary>
    private static (double Seconds, double Gflops) TimeGemm<T>(int n, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(42);
        var a = new Matrix<T>(n, n);
        var b = new Matrix<T>(n, n);
        var c = new Matrix<T>(n, n);
        a.InitializeUniform(random, -T.One, T.One);
        b.InitializeUniform(random, -T.One, T.One);
        void Call() => Gemm.Multiply(Transpose.None, Transpose.None, n, n, n, T.One, a.AsSpan(), n, b.AsSpan(), n, T.Zero, c.AsSpan(), n, threads);

        // Two calls size the packing buffers and let the JIT settle; then time whole calls for at least MinimumSeconds.
        Call();
        Call();
        int calls = 0;
        long start = Stopwatch.GetTimestamp();
        do
        {
            Call();
            calls++;
        }
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < MinimumSeconds);

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
        return (seconds, 2.0 * n * n * n / seconds / 1e9);
    }

    /// <summary>Seconds of one epoch, after a one-batch warm-up epoch.</summary>
    private static double TimeEpoch<T>(int samples, int threads, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(7);
        var x = new Matrix<T>(samples, s_network[0]);
        x.InitializeUniform(random, T.Zero, T.One);
        var y = new Matrix<T>(samples, s_network[^1]);
        for (int i = 0; i < samples; i++)
        {
            y[i, random.NextInt32(s_network[^1])] = T.One;
        }

        NetworkBuilder<T> builder = Network<T>.Create(s_network[0], seed: 1);
        foreach (int width in s_network[1..^1])
        {
            builder.Dense(width, Activation.Relu);
        }

        Network<T> network = builder.Dense(s_network[^1]).Build();
        var trainer = new Trainer<T>(network, new SoftmaxCrossEntropy<T>(), new Sgd<T>(0.05, momentum: 0.9), new TrainingOptions
        {
            Epochs = 1,
            BatchSize = BatchSize,
            MaxDegreeOfParallelism = threads,
        });
        int warmUp = Math.Min(samples, BatchSize);
        trainer.Fit(x.GetRows(0, warmUp), y.GetRows(0, warmUp), cancellationToken: cancellationToken);
        trainer.Fit(x, y, cancellationToken: cancellationToken);
        return trainer.History[^1].Seconds;
    }

    private static string Threads(int threads) => ThreadsUsed(threads).ToString(CultureInfo.InvariantCulture);

    /// <summary>The threads that run: more than the processors splits the work finer but runs on the threads there are.</summary>
    private static int ThreadsUsed(int threads) => threads == 0 ? Environment.ProcessorCount : Math.Min(threads, Environment.ProcessorCount);

    /// <summary>A time with three significant digits or more: small GEMMs take microseconds.</summary>
    private static string Milliseconds(double seconds) => seconds < 1e-3
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:F1} µs")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:F2} ms");

    private sealed record Settings(int[] Sizes, int Samples, int Threads, bool Json, string DType);
}
