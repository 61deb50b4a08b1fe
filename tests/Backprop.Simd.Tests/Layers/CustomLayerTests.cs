using Backprop.Simd.Diagnostics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Layers;

/// <summary>
/// A layer of the user's own with trainable weights, written against the public API only: it passes the gradient
/// check, trains in parallel shards to the gradients of one shard (whether it can defer its gradients to the batch-wide
/// pass or not), and a replica that shares the original's parameters (which once moved the network's gradients away
/// silently) is refused.
/// </summary>
public sealed class CustomLayerTests
{
    private static readonly LabelledData<double> s_data = SyntheticData.Blobs<double>(24, 4, 2, seed: 3);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_layer_with_its_own_parameter_passes_the_gradient_check(bool canDefer)
    {
        Network<double> network = Build(shareOnReplica: false, canDefer);
        GradientCheckReport report = GradientCheck.Check(network, new SoftmaxCrossEntropy<double>(), s_data.Inputs, s_data.Targets);
        Assert.True(report.MaxRelativeError < 1e-6, report.ToString());
        Assert.Contains(report.Tensors, t => t.Name == "layer 1 scale");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void It_trains_in_shards_as_in_one(bool canDefer)
    {
        // One summed SGD step: two shards add the same per-sample gradients as one, in another order.
        double[] Step(int shards, int threads)
        {
            Network<double> network = Build(shareOnReplica: false, canDefer);
            new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1), new TrainingOptions { Shards = shards, MaxDegreeOfParallelism = threads, Reduction = Reduction.Sum })
                .TrainStep(s_data.Inputs, s_data.Targets);
            return network.Parameters.ToArray();
        }

        double[] one = Step(1, 1);
        double[] two = Step(2, 1);
        Assert.Equal(one, two, (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(a)));
        Assert.Equal(two, Step(2, 2));
        Assert.NotEqual(Build(shareOnReplica: false, canDefer).Parameters.ToArray(), one);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_wide_network_with_the_layer_trains_in_shards_as_in_one_deferring_where_the_layer_can(bool canDefer)
    {
        // Few rows and many weights: the plan computes the gradients once for the batch if every layer with
        // parameters can defer, else each shard its own. Either way 1 and 2 threads give the same bits.
        LabelledData<double> data = SyntheticData.Blobs<double>(8, 64, 4, seed: 5);
        Network<double> Wide()
        {
            var random = new SeededRandom(11);
            return new Network<double>(
            [
                new Dense<double>(64, 64, WeightInitialization.GlorotUniform, random),
                new Scale(64, random, shareOnReplica: false, canDefer),
                new Tanh<double>(64),
                new Dense<double>(64, 4, WeightInitialization.GlorotUniform, random),
            ]);
        }

        Assert.Equal(canDefer, new ShardedStep<double>(Wide(), 2).PlanFor(4, 1).BatchGradients);
        double[] Train(int shards, int threads)
        {
            Network<double> network = Wide();
            new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adam<double>(0.01), new TrainingOptions { Shards = shards, MaxDegreeOfParallelism = threads, BatchSize = 4, Epochs = 3 })
                .Fit(data.Inputs, data.Targets);
            return network.Parameters.ToArray();
        }

        double[] two = Train(2, 1);
        FloatAssert.SameBits<double>(Train(2, 2), two, "2 shards on 2 threads against 1 thread");
        Assert.Equal(Train(1, 1), two, (a, b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a)));
        Assert.NotEqual(Wide().Parameters.ToArray(), two);
    }

    [Fact]
    public void A_replica_sharing_the_original_parameters_is_refused()
    {
        Network<double> network = Build(shareOnReplica: true);
        var e = Assert.Throws<InvalidOperationException>(() => new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1), new TrainingOptions { Shards = 2 }));
        Assert.Contains("Parameter.Replicate()", e.Message, StringComparison.Ordinal);
        Assert.Contains("Parameter.Replicate()", Assert.Throws<ArgumentException>(network.Clone).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_layers_sharing_a_parameter_are_refused_before_anything_is_bound()
    {
        var random = new SeededRandom(7);
        var first = new Scale(5, random, shareOnReplica: true);
        Layer<double> second = first.Replica();
        var dense = new Dense<double>(4, 5, WeightInitialization.GlorotUniform, random);
        var e = Assert.Throws<ArgumentException>(() => new Network<double>([dense, first, second]));
        Assert.Equal("layers", e.ParamName);

        // Nothing was taken: the same layers still build a network.
        Assert.Equal(3, new Network<double>([dense, first]).Layers.Count + 1);
    }

    private static Network<double> Build(bool shareOnReplica, bool canDefer = false)
    {
        var random = new SeededRandom(7);
        return new Network<double>(
        [
            new Dense<double>(4, 5, WeightInitialization.GlorotUniform, random),
            new Scale(5, random, shareOnReplica, canDefer),
            new Tanh<double>(5),
            new Dense<double>(5, 2, WeightInitialization.GlorotUniform, random),
        ]);
    }

    /// <summary>
    /// y = x ⊙ s with a trainable row s: forward and backward side by side. With <c>canDefer</c> it also implements
    /// <see cref="Layer{T}.ComputeParameterGradients"/>, so that a trainer may overwrite its gradient or defer it to
    /// one batch-wide pass; without, it only adds to its gradient, as the simplest user layer does.
    /// </summary>
    internal sealed class Scale : Layer<double>
    {
        private readonly Parameter<double> _scale;
        private readonly bool _shareOnReplica;
        private readonly bool _canDefer;
        private Matrix<double> _output = new(1, 1);
        private Matrix<double> _inputGradient = new(1, 1);
        private int _rows;

        public Scale(int size, SeededRandom random, bool shareOnReplica, bool canDefer = false)
            : base(size, size)
        {
            var values = new Matrix<double>(1, size);
            values.InitializeUniform(random, 0.5, 1.5);
            _scale = new Parameter<double>("scale", values, isWeight: true);
            _shareOnReplica = shareOnReplica;
            _canDefer = canDefer;
        }

        private Scale(Scale original)
            : base(original.InputSize, original.OutputSize)
        {
            _scale = original._shareOnReplica ? original._scale : original._scale.Replicate();
            _shareOnReplica = original._shareOnReplica;
            _canDefer = original._canDefer;
        }

        public override string Description => $"Scale({InputSize})";

        public override IReadOnlyList<Parameter<double>> Parameters => [_scale];

        public override bool CanDeferParameterGradients => _canDefer;

        // protected internal only because this test assembly sees the library's internals; a user writes protected.
        protected internal override ReadOnlyMatrixSpan<double> LastOutput => _output.Slice(0, _rows);

        // y: (rows, n) = x: (rows, n) ⊙ s: (1, n)
        public override ReadOnlyMatrixSpan<double> Forward(ReadOnlyMatrixSpan<double> input, LayerContext<double> context)
        {
            CheckInput(input);
            _rows = input.Rows;
            if (_output.Rows < _rows)
            {
                (_output, _inputGradient) = (new Matrix<double>(_rows, OutputSize), new Matrix<double>(_rows, InputSize));
            }

            for (int i = 0; i < _rows; i++)
            {
                Kernels.Multiply<double>(input.Row(i), _scale.Value.Row(0), _output.Row(i));
            }

            return LastOutput;
        }

        // ds: (1, n) (+)= Σ_rows dy ⊙ x;  dx: (rows, n) = dy ⊙ s
        public override ReadOnlyMatrixSpan<double> Backward(ReadOnlyMatrixSpan<double> input, ReadOnlyMatrixSpan<double> outputGradient, LayerContext<double> context)
        {
            CheckGradient(input, outputGradient);
            if (_canDefer)
            {
                ProduceParameterGradients(input, outputGradient, context);
            }
            else
            {
                AddGradient(input, outputGradient);
            }

            for (int i = 0; i < input.Rows; i++)
            {
                Kernels.Multiply<double>(outputGradient.Row(i), _scale.Value.Row(0), _inputGradient.Row(i));
            }

            return context.ComputeInputGradient ? _inputGradient.Slice(0, input.Rows) : default;
        }

        protected internal override void ComputeParameterGradients(ReadOnlyMatrixSpan<double> input, ReadOnlyMatrixSpan<double> outputGradient, bool overwrite, int maxDegreeOfParallelism)
        {
            if (overwrite)
            {
                _scale.Gradient.Clear();
            }

            AddGradient(input, outputGradient);
        }

        protected internal override Layer<double> CreateReplica() => new Scale(this);

        public Layer<double> Replica() => CreateReplica();

        private void AddGradient(ReadOnlyMatrixSpan<double> input, ReadOnlyMatrixSpan<double> outputGradient)
        {
            Span<double> ds = _scale.Gradient.Row(0);
            for (int i = 0; i < input.Rows; i++)
            {
                for (int j = 0; j < InputSize; j++)
                {
                    ds[j] += outputGradient[i, j] * input[i, j];
                }
            }
        }
    }
}
