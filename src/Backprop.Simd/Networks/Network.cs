using System.Numerics;
using System.Text;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Numerics;
using Backprop.Simd.Numerics.Threading;

namespace Backprop.Simd.Networks;

/// <summary>
/// A feed-forward network: a sequence of layers of any depth, in float or double. All parameters live in one
/// contiguous block (<see cref="Parameters"/>) and all gradients in another (<see cref="Gradients"/>), so an
/// optimizer step is a single vectorised pass.
/// </summary>
/// <remarks>
/// <para><see cref="Forward"/>, <see cref="Backward"/> and <see cref="AccumulateGradients"/> use the network's own
/// layer buffers and are not thread-safe. The <c>Predict</c> methods are: each call borrows a private set of buffers
/// (created once per concurrent caller, then reused), so many threads can predict with one trained model at once
/// without allocating: up to max(8, 2 × processors) callers at once; beyond that, the extra callers build a
/// temporary set per call.</para>
/// <para>A dense layer followed by an activation runs as one fused pass after the matrix product (bias add and
/// activation while each row is in L1 cache).</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Network<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;
    private readonly T[] _values;
    private readonly LayerStack<T> _stack;
    private readonly ParameterRange[] _ranges;
    private readonly int _predictionChunkRows;
    private readonly BatchPrediction<T> _batchPrediction;

    private readonly LayerStack<T>?[] _inference = new LayerStack<T>?[Math.Max(8, 2 * Environment.ProcessorCount)];
    private int _maxDegreeOfParallelism;
    private object? _trainer;
    private (int Start, int End)[]? _regularizedWeights;
    private (int Start, int End)[]? _regularizedWithBiases;

    /// <summary>Creates a network from layers, each taking the previous one's output; the layers become this network's.</summary>
    /// <param name="layers">The layers, first to last.</param>
    /// <exception cref="ArgumentException">No layers, sizes that do not chain, or a layer that already belongs to a network.</exception>
    public Network(IEnumerable<Layer<T>> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ElementType<T>.ThrowIfNotSupported();
        _layers = [.. layers];
        if (_layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        for (int i = 0; i < _layers.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(_layers[i], nameof(layers));
            if (i > 0 && _layers[i].InputSize != _layers[i - 1].OutputSize)
            {
                throw new ArgumentException(
                    $"Layer {i} ({_layers[i].Description}) takes {_layers[i].InputSize} inputs but layer {i - 1} ({_layers[i - 1].Description}) gives {_layers[i - 1].OutputSize}.",
                    nameof(layers));
            }

            if (_layers[i].Owned || Array.IndexOf(_layers, _layers[i]) != i)
            {
                throw new ArgumentException($"Layer {i} ({_layers[i].Description}) already belongs to a network; create a new layer.", nameof(layers));
            }
        }

        // Checked before anything is bound, so that a refused list leaves its layers free for another network.
        var seen = new HashSet<Parameter<T>>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _layers.Length; i++)
        {
            foreach (Parameter<T> p in _layers[i].Parameters)
            {
                if (p.IsBound || !seen.Add(p))
                {
                    throw new ArgumentException($"Layer {i} ({_layers[i].Description}) has the parameter '{p}' of another layer or network; each layer needs its own (Parameter.Replicate() for a replica).", nameof(layers));
                }
            }
        }

        _predictionChunkRows = PredictionChunkRows(_layers);
        _batchPrediction = new BatchPrediction<T>(this);
        int count = 0;
        var ranges = new List<ParameterRange>();
        for (int i = 0; i < _layers.Length; i++)
        {
            foreach (Parameter<T> p in _layers[i].Parameters)
            {
                ranges.Add(new ParameterRange(i, p.Name, count, p.Rows, p.Columns, p.IsWeight));
                count = (long)count + p.Length <= Array.MaxLength
                    ? count + p.Length
                    : throw new ArgumentException($"The layers hold more than {Array.MaxLength:N0} parameters, more than one array (a network's parameter block) holds; layer {i} alone has {p.Length:N0} in '{p.Name}'.", nameof(layers));
            }
        }

        _values = new T[count];
        var gradients = new T[count];
        int r = 0;
        foreach (Layer<T> layer in _layers)
        {
            layer.Owned = true;
            foreach (Parameter<T> p in layer.Parameters)
            {
                ParameterRange range = ranges[r++];
                p.Bind(Matrix<T>.Wrap(_values, range.Offset, range.Rows, range.Columns), Matrix<T>.Wrap(gradients, range.Offset, range.Rows, range.Columns));
            }
        }

        _ranges = [.. ranges];
        _stack = new LayerStack<T>(_layers, gradients);
    }

    /// <summary>Starts building a network.</summary>
    /// <param name="inputSize">Features per input row.</param>
    /// <param name="seed">The seed of the weight initialisation (and of dropout masks).</param>
    /// <returns>A builder.</returns>
    public static NetworkBuilder<T> Create(int inputSize, ulong seed = 0) => new(inputSize, seed);

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<Layer<T>> Layers => _layers;

    /// <summary>Features per input row.</summary>
    public int InputSize => _layers[0].InputSize;

    /// <summary>Features per output row.</summary>
    public int OutputSize => _layers[^1].OutputSize;

    /// <summary>The number of trainable parameters.</summary>
    public int ParameterCount => _values.Length;

    /// <summary>Where each parameter tensor lies in <see cref="Parameters"/> and <see cref="Gradients"/>.</summary>
    public IReadOnlyList<ParameterRange> ParameterRanges => _ranges;

    /// <summary>Every parameter, contiguous, in layer order: writes change the network.</summary>
    public Span<T> Parameters => _values;

    /// <summary>Every accumulated gradient, in the order of <see cref="Parameters"/>.</summary>
    public Span<T> Gradients => _stack.Gradients;

    /// <summary>
    /// The most threads <see cref="Forward"/>, <see cref="Backward"/>, <see cref="AccumulateGradients"/> and the
    /// <c>Predict</c> methods use: 0 (default) for every processor. A trainer uses its own
    /// <see cref="Training.TrainingOptions.MaxDegreeOfParallelism"/> and leaves this setting as it was.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxDegreeOfParallelism = value;
        }
    }

    internal LayerStack<T> Stack => _stack;

    internal T[] ParameterArray => _values;

    internal T[] GradientArray => _stack.Gradients;

    /// <summary>The forward pass on the network's own buffers (not thread-safe; see <c>Predict</c> for that).</summary>
    /// <param name="input">The inputs, [batch x <see cref="InputSize"/>].</param>
    /// <param name="training">Training mode: dropout active (a fresh mask at every pass, drawn from the layer's seeded stream), activations kept for <see cref="Backward"/>.</param>
    /// <returns>The outputs, [batch x <see cref="OutputSize"/>], valid until the next call.</returns>
    public ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, bool training = false) =>
        _stack.Forward(input, training ? LayerContext<T>.Training(null, _maxDegreeOfParallelism) : LayerContext<T>.Inference(_maxDegreeOfParallelism));

    /// <summary>Backpropagates <paramref name="outputGradient"/> after <see cref="Forward"/> in training mode; adds to <see cref="Gradients"/>.</summary>
    /// <param name="input">The input given to <see cref="Forward"/>.</param>
    /// <param name="outputGradient">dLoss/dOutput, [batch x <see cref="OutputSize"/>].</param>
    public void Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient) =>
        _stack.Backward(input, outputGradient, LayerContext<T>.Training(null, _maxDegreeOfParallelism));

    /// <summary>
    /// Forward, loss and backward on one batch: adds the batch's gradients to <see cref="Gradients"/> (fusing the loss
    /// with a final sigmoid or softmax where it applies) and returns the loss, reduced as asked.
    /// </summary>
    /// <param name="input">The inputs, [batch x <see cref="InputSize"/>].</param>
    /// <param name="target">The targets, [batch x <see cref="OutputSize"/>].</param>
    /// <param name="loss">The loss.</param>
    /// <param name="reduction">Mean or sum over the batch.</param>
    /// <returns>The loss of the batch (without regularisation).</returns>
    public double AccumulateGradients(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> target, Loss<T> loss, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(loss);
        int rows = input.Rows;
        T scale = reduction == Reduction.Mean && rows > 0 ? T.One / T.CreateChecked(rows) : T.One;
        double sum = _stack.ComputeGradients(input, target, loss, scale, LayerContext<T>.Training(null, _maxDegreeOfParallelism));
        return reduction == Reduction.Mean && rows > 0 ? sum / rows : sum;
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients() => Gradients.Clear();

    /// <summary>Predicts one sample; thread-safe, allocation-free after the first call per concurrent caller.</summary>
    /// <param name="features">The input, <see cref="InputSize"/> values.</param>
    /// <param name="output">Receives the <see cref="OutputSize"/> outputs.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void Predict(ReadOnlySpan<T> features, Span<T> output)
    {
        if (features.Length != InputSize)
        {
            throw new ArgumentException($"The network takes {InputSize} features but {features.Length} were given.", nameof(features));
        }

        if (output.Length != OutputSize)
        {
            throw new ArgumentException($"The network gives {OutputSize} outputs but the output span has {output.Length}.", nameof(output));
        }

        LayerStack<T> stack = RentStack();
        try
        {
            stack.Forward(new ReadOnlyMatrixSpan<T>(features, 1, InputSize), LayerContext<T>.Inference(_maxDegreeOfParallelism)).Row(0).CopyTo(output);
        }
        finally
        {
            ReturnStack(stack);
        }
    }

    /// <summary>Predicts a batch; thread-safe, allocation-free after the first call per concurrent caller.</summary>
    /// <param name="inputs">The inputs, [batch x <see cref="InputSize"/>].</param>
    /// <param name="outputs">Receives the outputs, [batch x <see cref="OutputSize"/>].</param>
    /// <exception cref="ArgumentException">The shapes do not match the network.</exception>
    public void Predict(ReadOnlyMatrixSpan<T> inputs, MatrixSpan<T> outputs)
    {
        if (inputs.Columns != InputSize || outputs.Rows != inputs.Rows || outputs.Columns != OutputSize)
        {
            throw new ArgumentException(
                $"The network maps [batch x {InputSize}] to [batch x {OutputSize}] but the inputs are [{inputs.Rows} x {inputs.Columns}] and the outputs [{outputs.Rows} x {outputs.Columns}].",
                nameof(outputs));
        }

        int parts = PredictionParts(inputs.Rows);
        if (parts <= 1)
        {
            PredictOn(inputs, outputs, _maxDegreeOfParallelism);
            return;
        }

        ParallelRows<T>.Run(_batchPrediction, inputs, outputs, parts);
    }

    /// <summary>
    /// Rows per forward pass in a prediction: about 256 KiB of the widest layer's activations, so that one layer's
    /// output is still in L2 when the activation and the next layer read it; it also bounds the inference buffers
    /// whatever the batch.
    /// </summary>
    private static int PredictionChunkRows(IEnumerable<Layer<T>> layers)
    {
        int widest = layers.Max(l => l.OutputSize);
        return Math.Max(64, (256 * 1024) / (widest * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
    }

    /// <summary>One part of a split batch: an inference stack that runs every layer on the calling thread.</summary>
    internal void PredictOnOneThread(ReadOnlyMatrixSpan<T> inputs, MatrixSpan<T> outputs) => PredictOn(inputs, outputs, 1);

    private void PredictOn(ReadOnlyMatrixSpan<T> inputs, MatrixSpan<T> outputs, int maxDegreeOfParallelism)
    {
        LayerStack<T> stack = RentStack();
        var context = LayerContext<T>.Inference(maxDegreeOfParallelism);
        try
        {
            for (int r = 0; r < inputs.Rows; r += _predictionChunkRows)
            {
                int rows = Math.Min(_predictionChunkRows, inputs.Rows - r);
                stack.Forward(inputs.Slice(r, rows), context).CopyTo(outputs.Slice(r, rows));
            }
        }
        finally
        {
            ReturnStack(stack);
        }
    }

    /// <summary>
    /// Into how many row ranges a batch splits: one per thread, but no more than the work supports (each part at least
    /// the GEMM's minimum work per thread in multiply-adds).
    /// </summary>
    private int PredictionParts(int rows)
    {
        int threads = WorkerPool.ResolveThreads(_maxDegreeOfParallelism);
        return (int)Math.Clamp((long)rows * ParameterCount / GemmEngine<T>.MinWorkPerThread, 1, Math.Min(threads, Math.Max(1, rows)));
    }

    /// <summary>Predicts a batch into a new matrix.</summary>
    /// <param name="inputs">The inputs, [batch x <see cref="InputSize"/>].</param>
    /// <returns>The outputs, [batch x <see cref="OutputSize"/>].</returns>
    public Matrix<T> Predict(Matrix<T> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var outputs = new Matrix<T>(inputs.Rows, OutputSize);
        Predict(inputs, outputs);
        return outputs;
    }

    /// <summary>A deep copy: same architecture and parameter values, its own storage.</summary>
    /// <returns>The copy.</returns>
    public Network<T> Clone()
    {
        var copy = new Network<T>(_layers.Select(l => l.CreateReplica()));
        copy.MaxDegreeOfParallelism = MaxDegreeOfParallelism;
        return copy;
    }

    /// <summary>A replica for a training shard: shared parameter values, its own buffers and contiguous gradients.</summary>
    internal LayerStack<T> CreateReplica()
    {
        Layer<T>[] layers = [.. _layers.Select(l => l.CreateReplica())];
        var gradients = new T[_values.Length];
        int r = 0;
        foreach (Layer<T> layer in layers)
        {
            foreach (Parameter<T> p in layer.Parameters)
            {
                ParameterRange range = _ranges[r++];
                p.BindGradient(Matrix<T>.Wrap(gradients, range.Offset, range.Rows, range.Columns));
            }
        }

        return new LayerStack<T>(layers, gradients);
    }

    /// <summary>A summary: one line per layer and the parameter count.</summary>
    /// <returns>The summary.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Network<{typeof(T).Name}>: {InputSize} → {OutputSize}, {ParameterCount:N0} parameters");
        foreach (Layer<T> layer in _layers)
        {
            text.Append("\n  ").Append(layer.Description);
        }

        return text.ToString();
    }

    /// <summary>
    /// Takes the network for <paramref name="trainer"/>'s call: its own layer buffers and gradients are shard 0 of
    /// that trainer, so a second trainer (or classifier) on the same network must not run meanwhile; it is refused
    /// before it changes anything, not left to fail mid-way.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another trainer holds the network.</exception>
    internal void TakeForTraining(object trainer)
    {
        object? holder = Interlocked.CompareExchange(ref _trainer, trainer, null);
        if (holder is not null && !ReferenceEquals(holder, trainer))
        {
            throw new InvalidOperationException("This network is being trained or evaluated by another trainer (or classifier) right now; a network serves one training call at a time. Train a Clone() of it for a second run at once.");
        }
    }

    /// <summary>Gives the network back after <see cref="TakeForTraining"/>.</summary>
    internal void ReleaseFromTraining(object trainer) => Interlocked.CompareExchange(ref _trainer, null, trainer);

    /// <summary>
    /// The [start, end) ranges of the regularised parameters: the weights, and the biases too when
    /// <paramref name="includeBiases"/>; made once and kept.
    /// </summary>
    internal (int Start, int End)[] RegularizedRanges(bool includeBiases)
    {
        ref (int Start, int End)[]? cached = ref includeBiases ? ref _regularizedWithBiases : ref _regularizedWeights;
        return cached ??= Regularized(_ranges, includeBiases);

        // Apart, so that the lambda's closure is allocated only when the ranges are made.
        static (int Start, int End)[] Regularized(ParameterRange[] ranges, bool includeBiases) =>
            [.. ranges.Where(r => r.IsWeight || includeBiases).Select(r => (r.Offset, r.Offset + r.Length))];
    }

    /// <summary>A set of layer buffers of its own (made once per concurrent caller, then reused): for a prediction or a gradient that must not touch the network's own.</summary>
    internal LayerStack<T> RentStack()
    {
        for (int i = 0; i < _inference.Length; i++)
        {
            LayerStack<T>? stack = Volatile.Read(ref _inference[i]);
            if (stack is not null && Interlocked.CompareExchange(ref _inference[i], null, stack) == stack)
            {
                return stack;
            }
        }

        return CreateReplica();
    }

    /// <summary>Gives back a set from <see cref="RentStack"/>.</summary>
    internal void ReturnStack(LayerStack<T> stack)
    {
        for (int i = 0; i < _inference.Length; i++)
        {
            if (Volatile.Read(ref _inference[i]) is null && Interlocked.CompareExchange(ref _inference[i], stack, null) is null)
            {
                return;
            }
        }
    }
}
