using System.Diagnostics;
using System.Text.Json;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// <c>floor [--recipe mlp|deep] [--epochs E]</c>: what one epoch of the <c>train</c> recipe's two-shard data-parallel step
/// costs at the least on this machine, measured in parts, one JSON line per epoch:
/// <list type="bullet">
/// <item><c>gemm</c>: the epoch's matrix products alone (every shard's forward, weight-gradient and input-gradient
/// products, exact shapes and counts), once on one thread, then with each of two threads running its own shard's
/// products on private buffers, with no synchronisation between steps: compute with nothing shared.</item>
/// <item><c>exchange</c>: the data a data-parallel step must move between the two cores, without any arithmetic: each
/// thread writes its whole shard gradient, then reads half of the other's (the reduction), writes its half of the
/// parameters (the update), then reads all of them (the next forward). A barrier separates the phases, as in the trainer.</item>
/// <item><c>ping_pong</c>: one cache line handed back and forth between the two threads, nanoseconds per round trip.</item>
/// <item><c>columns</c>: the same epoch in the one design that keeps the first layer's weights on their cores: each of
/// two threads owns half of the first layer's columns and computes them for both shards (forward product, then both
/// shards' weight-gradient products into its columns, then its columns' update), while the layers above run one shard
/// per thread with their small gradients exchanged as above; barriers between the phases. Products, exchange and
/// update included: the floor of that design, to compare with <c>floor_2_threads</c>.</item>
/// </list>
/// The sum of the two-thread <c>gemm</c> and the <c>exchange</c> is the epoch's floor for this design here; the trainer
/// adds its element-wise work (activations, loss, gather) to it.
/// </summary>
internal static class QuickFloor
{
    private const int Threads = 2;

    public static int Run(string[] args)
    {
        var options = CommandLine.Parse(args);
        string recipe = options.Get("recipe", "mlp");
        int epochs = options.GetInt("epochs", 3);
        if (recipe is not ("mlp" or "deep"))
        {
            Console.Error.WriteLine($"--recipe must be mlp or deep, not '{recipe}'.");
            Console.Error.WriteLine("usage: floor [--recipe mlp|deep] [--epochs E]");
            return 2;
        }

        (int[] sizes, int rows, int steps) = recipe == "mlp" ? (new[] { 784, 256, 128, 10 }, 64, 469) : (new[] { 784, 250, 50, 10, 10 }, 1190, 25);

        long parameters = ParameterCount(sizes);
        for (int e = 0; e < epochs; e++)
        {
            double one = GemmEpoch(sizes, rows, steps, threads: 1);
            double two = GemmEpoch(sizes, rows, steps, threads: Threads);
            double exchange = ExchangeEpoch((int)parameters, steps);
            double pingPong = PingPongNanoseconds();
            double columns = ColumnParallelEpoch(sizes, rows, steps);
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["recipe"] = recipe,
                ["epoch"] = e + 1,
                ["gemm_1_thread"] = Math.Round(one, 4),
                ["gemm_2_threads"] = Math.Round(two, 4),
                ["exchange"] = Math.Round(exchange, 4),
                ["floor_2_threads"] = Math.Round(two + exchange, 4),
                ["ping_pong_ns"] = Math.Round(pingPong, 1),
                ["columns_2_threads"] = Math.Round(columns, 4),
                ["parameters"] = parameters,
            }));
        }

        return 0;
    }

    /// <summary>Seconds for every shard's products of <paramref name="steps"/> steps, two shards, split over the threads.</summary>
    private static double GemmEpoch(int[] sizes, int rows, int steps, int threads)
    {
        var shards = Enumerable.Range(0, Threads).Select(_ => new ShardProducts(sizes, rows)).ToArray();
        return RunOnThreads(threads, t =>
        {
            for (int s = 0; s < steps; s++)
            {
                for (int shard = t; shard < Threads; shard += threads)
                {
                    shards[shard].Run();
                }
            }
        });
    }

    /// <summary>Seconds for <paramref name="steps"/> rounds of the cores' data exchange over arrays of <paramref name="parameters"/> floats.</summary>
    private static double ExchangeEpoch(int parameters, int steps)
    {
        float[] weights = new float[parameters];
        float[][] gradients = [new float[parameters], new float[parameters]];
        using var barrier = new Barrier(Threads);
        double sink = 0;
        double seconds = RunOnThreads(Threads, t =>
        {
            float[] own = gradients[t];
            float[] other = gradients[1 - t];
            (int first, int count) = Half(parameters, t);
            float sum = 0;
            for (int s = 0; s < steps; s++)
            {
                own.AsSpan().Fill(s);
                barrier.SignalAndWait();
                sum += System.Numerics.Tensors.TensorPrimitives.Sum<float>(other.AsSpan(first, count));
                weights.AsSpan(first, count).Fill(s);
                barrier.SignalAndWait();
                sum += System.Numerics.Tensors.TensorPrimitives.Sum<float>(weights);
                barrier.SignalAndWait();
            }

            Interlocked.Exchange(ref sink, sum);
        });
        GC.KeepAlive(sink);
        return seconds;
    }

    /// <summary>Seconds for <paramref name="steps"/> steps of the column-parallel design (see the class summary).</summary>
    private static double ColumnParallelEpoch(int[] sizes, int rows, int steps)
    {
        int inputs = sizes[0];
        int width = sizes[1];
        var random = new SeededRandom(4);
        float[] weights = Filled(inputs * width, random);
        float[] gradient = new float[inputs * width];
        float[] velocity = new float[inputs * width];
        float[][] x = [Filled(rows * inputs, random), Filled(rows * inputs, random)];
        float[][] hidden = [new float[rows * width], new float[rows * width]];
        var above = Enumerable.Range(0, Threads).Select(_ => new ShardProducts(sizes[1..], rows, inputGradient: true)).ToArray();
        int smallParameters = (int)ParameterCount(sizes[1..]);
        float[] smallWeights = new float[smallParameters];
        float[][] smallGradients = [new float[smallParameters], new float[smallParameters]];
        using var barrier = new Barrier(Threads);
        return RunOnThreads(Threads, t =>
        {
            (int first, int columns) = Half(width, t);
            (int smallFirst, int smallCount) = Half(smallParameters, t);
            float sum = 0;
            for (int s = 0; s < steps; s++)
            {
                // Forward: this thread's columns of the first layer, for both shards.
                for (int shard = 0; shard < Threads; shard++)
                {
                    Gemm.Multiply(Transpose.None, Transpose.None, rows, columns, inputs, 1f, x[shard], inputs, weights.AsSpan(first), width, 0f, hidden[shard].AsSpan(first), width, 1);
                }

                barrier.SignalAndWait();

                // The layers above, one shard per thread, ending in the hidden layer's gradient; their small gradients exchanged.
                above[t].Run(hidden[t]);
                smallGradients[t].AsSpan().Fill(s);
                barrier.SignalAndWait();
                sum += System.Numerics.Tensors.TensorPrimitives.Sum<float>(smallGradients[1 - t].AsSpan(smallFirst, smallCount));
                smallWeights.AsSpan(smallFirst, smallCount).Fill(s);

                // Both shards' weight gradients into this thread's columns, in shard order, then their update.
                for (int shard = 0; shard < Threads; shard++)
                {
                    Gemm.Multiply(Transpose.Transposed, Transpose.None, inputs, columns, rows, 1f, x[shard], inputs, above[shard].HiddenGradient, width, shard == 0 ? 0f : 1f, gradient.AsSpan(first), width, 1);
                }

                for (int r = 0; r < inputs; r++)
                {
                    Span<float> v = velocity.AsSpan((r * width) + first, columns);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(v, 0.9f, gradient.AsSpan((r * width) + first, columns), v);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(v, -0.01f, weights.AsSpan((r * width) + first, columns), weights.AsSpan((r * width) + first, columns));
                }

                barrier.SignalAndWait();
                sum += System.Numerics.Tensors.TensorPrimitives.Sum<float>(smallWeights);
            }

            GC.KeepAlive(sum);
        });
    }

    /// <summary>The weights and biases of dense layers of these sizes.</summary>
    private static long ParameterCount(int[] sizes)
    {
        long count = 0;
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            count += ((long)sizes[l] * sizes[l + 1]) + sizes[l + 1];
        }

        return count;
    }

    /// <summary>Thread <paramref name="t"/>'s half of <paramref name="length"/> items: its first and how many.</summary>
    private static (int First, int Count) Half(int length, int t) => (t * (length / 2), t == 0 ? length / 2 : length - (length / 2));

    private static float[] Filled(int length, SeededRandom random)
    {
        float[] values = new float[length];
        random.FillUniform(values, -1f, 1f);
        return values;
    }

    /// <summary>Nanoseconds per round trip of one cache line between two threads.</summary>
    private static double PingPongNanoseconds()
    {
        const int Trips = 100_000;
        var line = new long[16];
        return RunOnThreads(Threads, t =>
        {
            for (int i = 0; i < Trips; i++)
            {
                while (Volatile.Read(ref line[0]) % 2 != t)
                {
                    Thread.SpinWait(1);
                }

                Volatile.Write(ref line[0], line[0] + 1);
            }
        }) * 1e9 / Trips;
    }

    private static double RunOnThreads(int threads, Action<int> body)
    {
        using var start = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            body(t);
        })).ToArray();
        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        start.SignalAndWait();
        var watch = Stopwatch.StartNew();
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>One shard's products of a training step, on its own buffers: forward, weight gradient and input gradient of each dense layer.</summary>
    private sealed class ShardProducts
    {
        private readonly Matrix<float>[] _activations;
        private readonly Matrix<float>[] _weights;
        private readonly Matrix<float>[] _weightGradients;
        private readonly Matrix<float>[] _outputGradients;
        private readonly Matrix<float>[] _inputGradients;
        private readonly bool _inputGradient;

        public ShardProducts(int[] sizes, int rows, bool inputGradient = false)
        {
            _inputGradient = inputGradient;
            int layers = sizes.Length - 1;
            var random = new SeededRandom(3);
            _activations = [.. Enumerable.Range(0, layers + 1).Select(l => Filled(rows, sizes[l], random))];
            _weights = [.. Enumerable.Range(0, layers).Select(l => Filled(sizes[l], sizes[l + 1], random))];
            _weightGradients = [.. Enumerable.Range(0, layers).Select(l => new Matrix<float>(sizes[l], sizes[l + 1]))];
            _outputGradients = [.. Enumerable.Range(0, layers).Select(l => Filled(rows, sizes[l + 1], random))];
            _inputGradients = [.. Enumerable.Range(0, layers).Select(l => new Matrix<float>(rows, sizes[l]))];
        }

        /// <summary>The gradient with respect to the first layer's input, when asked for.</summary>
        public ReadOnlySpan<float> HiddenGradient => _inputGradients[0].AsSpan();

        public void Run(ReadOnlySpan<float> input)
        {
            input.CopyTo(_activations[0].AsSpan());
            Run();
        }

        public void Run()
        {
            for (int l = 0; l < _weights.Length; l++)
            {
                Gemm.Multiply(1f, _activations[l], Transpose.None, _weights[l], Transpose.None, 0f, _activations[l + 1], 1);
            }

            for (int l = _weights.Length - 1; l >= 0; l--)
            {
                Gemm.Multiply(1f, _activations[l], Transpose.Transposed, _outputGradients[l], Transpose.None, 0f, _weightGradients[l], 1);
                if (l > 0 || _inputGradient)
                {
                    Gemm.Multiply(1f, _outputGradients[l], Transpose.None, _weights[l], Transpose.Transposed, 0f, _inputGradients[l], 1);
                }
            }
        }

        private static Matrix<float> Filled(int rows, int columns, SeededRandom random)
        {
            var matrix = new Matrix<float>(rows, columns);
            matrix.InitializeUniform(random, -1f, 1f);
            return matrix;
        }
    }
}
