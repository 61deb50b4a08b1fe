using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// A fully connected layer: <c>Y = X W + b</c> with weights W [in x out] and bias b [1 x out].
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Dense<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> _weights;
    private readonly Parameter<T> _bias;
    private readonly Parameter<T>[] _parameters;
    private readonly BatchBuffer<T> _output;
    private readonly BatchBuffer<T> _inputGradient;
    private int _lastRows;

    /// <summary>Creates a layer with initialised parameters.</summary>
    /// <param name="inputSize">Input features.</param>
    /// <param name="outputSize">Output features (units).</param>
    /// <param name="initialization">How the parameters start.</param>
    /// <param name="random">The generator to draw them from.</param>
    public Dense(int inputSize, int outputSize, WeightInitialization initialization, SeededRandom random)
        : this(new Matrix<T>(inputSize, outputSize), new T[outputSize])
    {
        ArgumentNullException.ThrowIfNull(random);
        Matrix<T> w = _weights.Value;
        switch (initialization)
        {
            case WeightInitialization.GlorotUniform:
                w.InitializeGlorotUniform(random);
                break;
            case WeightInitialization.HeNormal:
                w.InitializeHeNormal(random);
                break;
            case WeightInitialization.UniformUnit:
                w.InitializeUniform(random, T.NegativeOne, T.One);
                _bias.Value.InitializeUniform(random, T.NegativeOne, T.One);
                break;
            case WeightInitialization.FanInUniform:
                T limit = T.CreateChecked(1.0 / Math.Sqrt(inputSize));
                w.InitializeUniform(random, -limit, limit);
                _bias.Value.InitializeUniform(random, -limit, limit);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(initialization), initialization, "Unknown initialisation.");
        }
    }

    /// <summary>Creates a layer from given parameters (copied).</summary>
    /// <param name="weights">W, [in x out].</param>
    /// <param name="bias">b, out elements.</param>
    /// <exception cref="ArgumentException">The bias length differs from the weights' columns.</exception>
    public Dense(Matrix<T> weights, ReadOnlySpan<T> bias)
        : base(weights?.Rows ?? throw new ArgumentNullException(nameof(weights)), weights.Columns)
    {
        if (bias.Length != weights.Columns)
        {
            throw new ArgumentException($"The bias has {bias.Length} elements but the weights are [{weights.Rows} x {weights.Columns}].", nameof(bias));
        }

        _weights = new Parameter<T>("weights", weights.Clone(), isWeight: true);
        _bias = new Parameter<T>("bias", new Matrix<T>(1, bias.Length, bias), isWeight: false);
        _parameters = [_weights, _bias];
        _output = new BatchBuffer<T>(OutputSize);
        _inputGradient = new BatchBuffer<T>(InputSize);
    }

    private Dense(Dense<T> original)
        : base(original.InputSize, original.OutputSize)
    {
        _weights = original._weights.Replicate();
        _bias = original._bias.Replicate();
        _parameters = [_weights, _bias];
        _output = new BatchBuffer<T>(OutputSize);
        _inputGradient = new BatchBuffer<T>(InputSize);
    }

    /// <summary>W, [in x out].</summary>
    public Parameter<T> Weights => _weights;

    /// <summary>b, [1 x out].</summary>
    public Parameter<T> Bias => _bias;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public override string Description => Describe(InputSize, OutputSize);

    /// <summary>The <see cref="Description"/> of a dense layer of these sizes, for a model file's summary without building the layer.</summary>
    internal static string Describe(int inputSize, int outputSize) => $"Dense({inputSize} → {outputSize})";

    /// <inheritdoc/>
    public override ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, LayerContext<T> context)
    {
        // x: (B, In)  W: (In, Out)  y: (B, Out)
        MatrixSpan<T> y = _output.Rows(input.Rows);
        _lastRows = input.Rows;
        ForwardLinear(input, y, context);
        Kernels.AddBias(y, _bias.Value.Row(0));
        return y;
    }

    /// <inheritdoc/>
    public override ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, LayerContext<T> context)
    {
        // x: (B, In)  dy: (B, Out)  dW, db: see ComputeParameterGradients  dx = dy Wᵀ: (B, In)
        CheckGradient(input, outputGradient);
        ProduceParameterGradients(input, outputGradient, context);
        if (!context.ComputeInputGradient)
        {
            return default;
        }

        MatrixSpan<T> dx = _inputGradient.Rows(input.Rows);
        Gemm.Multiply(T.One, outputGradient, Transpose.None, _weights.Value.AsMatrixSpan(), Transpose.Transposed, T.Zero, dx, context.MaxDegreeOfParallelism);
        return dx;
    }

    /// <inheritdoc/>
    public override bool CanDeferParameterGradients => true;

    /// <inheritdoc/>
    protected internal override void ComputeParameterGradients(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, bool overwrite, int maxDegreeOfParallelism)
    {
        // x: (B, In)  dy: (B, Out)  dW (+)= xᵀ dy: (In, Out)  db (+)= Σ_rows dy: (Out); overwriting, the GEMM writes dW without reading it
        Gemm.Multiply(T.One, input, Transpose.Transposed, outputGradient, Transpose.None, overwrite ? T.Zero : T.One, _weights.Gradient.AsMatrixSpan(), maxDegreeOfParallelism);
        if (overwrite)
        {
            _bias.Gradient.AsSpan().Clear();
        }

        Kernels.AddColumnSums(outputGradient, _bias.Gradient.Row(0));
    }

    /// <summary>
    /// z = x W without the bias, into <paramref name="output"/>: the first half of <see cref="Forward"/>, for a network
    /// that adds the bias and applies the next activation in one pass over each row.
    /// </summary>
    /// <param name="input">x, [batch x in].</param>
    /// <param name="output">Receives z, [batch x out].</param>
    /// <param name="context">The threads of the product.</param>
    /// <exception cref="ArgumentException">The input does not have <see cref="Layer{T}.InputSize"/> columns.</exception>
    public void ForwardLinear(ReadOnlyMatrixSpan<T> input, MatrixSpan<T> output, LayerContext<T> context)
    {
        CheckInput(input);
        Gemm.Multiply(T.One, input, Transpose.None, _weights.Value.AsMatrixSpan(), Transpose.None, T.Zero, output, context.MaxDegreeOfParallelism);
    }

    /// <inheritdoc/>
    protected internal override ReadOnlyMatrixSpan<T> LastOutput => _output.Rows(_lastRows);

    /// <inheritdoc/>
    internal override LayerKind BuiltInKind => DenseKind.Instance;

    /// <inheritdoc/>
    protected internal override Layer<T> CreateReplica() => new Dense<T>(this);
}

/// <summary>The <see cref="Dense{T}"/> layer kind: its record holds the output size; its weights are the model's parameters.</summary>
internal sealed class DenseKind : LayerKind
{
    private DenseKind()
        : base("Dense", "dense", fileCode: 1, LayerField.Size("output size"))
    {
    }

    public static DenseKind Instance { get; } = new();

    internal override Layer<T> Create<T>(LayerRecord record) => new Dense<T>(new Matrix<T>(record.InputSize, OutputSize(record)), new T[OutputSize(record)]);

    internal override LayerRecord Record<T>(Layer<T> layer) => new(this, layer.InputSize, (ulong)layer.OutputSize);

    internal override int OutputSize(LayerRecord record) => record.Size(0);

    internal override long ParameterCount(LayerRecord record) => ((long)record.InputSize * OutputSize(record)) + OutputSize(record);

    internal override string Describe<T>(LayerRecord record) => Dense<T>.Describe(record.InputSize, OutputSize(record));

    /// <summary><c>Gemm(x, W, b)</c>, W [in x out] as the layer holds it (transB = 0), b [out]. (Its import, from Gemm or MatMul with the bias, BatchNormalization and the rest folded in, is the importer's.)</summary>
    internal override void WriteOnnx<T>(Layer<T> layer, IOnnxChainWriter writer, string name)
    {
        var dense = (Dense<T>)layer;
        string weights = writer.Constant($"{name}.weight", [dense.InputSize, dense.OutputSize], dense.Weights.Value.AsSpan());
        writer.Node("Gemm", $"{name}_gemm", [writer.Current, weights, writer.Constant($"{name}.bias", [dense.OutputSize], dense.Bias.Value.AsSpan())]);
    }
}
