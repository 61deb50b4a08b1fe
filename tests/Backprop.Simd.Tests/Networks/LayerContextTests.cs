using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Networks;

/// <summary>
/// The context a network, a trainer and an evaluation give their layers: the threads each one asked for (a sharded
/// Fit no longer leaves the network's own layers on one thread), training or inference, and the input gradient only
/// where it is needed.
/// </summary>
public sealed class LayerContextTests
{
    [Fact]
    public void After_a_sharded_fit_the_network_still_runs_on_its_own_threads()
    {
        var recorder = new ContextRecorder(6);
        var random = new SeededRandom(1);
        var network = new Network<double>([new Dense<double>(4, 6, WeightInitialization.GlorotUniform, random), recorder, new Dense<double>(6, 3, WeightInitialization.GlorotUniform, random)])
        {
            MaxDegreeOfParallelism = 3,
        };
        LabelledData<double> data = SyntheticData.Blobs<double>(20, 4, 3, seed: 2);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1), new TrainingOptions { Shards = 2, MaxDegreeOfParallelism = 2, Epochs = 1, BatchSize = 10 });

        trainer.Fit(data.Inputs, data.Targets);
        Assert.Equal((1, true), (recorder.Last.MaxDegreeOfParallelism, recorder.Last.IsTraining));

        trainer.Evaluate(data.Inputs, data.Targets);
        Assert.Equal((2, false), (recorder.Last.MaxDegreeOfParallelism, recorder.Last.IsTraining));

        network.Forward(data.Inputs);
        Assert.Equal((3, false), (recorder.Last.MaxDegreeOfParallelism, recorder.Last.IsTraining));
        Assert.Equal(3, network.MaxDegreeOfParallelism);

        network.Forward(data.Inputs, training: true);
        Assert.Equal((3, true, (ulong?)null), (recorder.Last.MaxDegreeOfParallelism, recorder.Last.IsTraining, recorder.Last.RandomKey));
    }

    [Fact]
    public void One_shard_gives_its_layers_every_thread_and_a_key_per_step()
    {
        var recorder = new ContextRecorder(4);
        var network = new Network<double>([recorder, new Dense<double>(4, 2, WeightInitialization.GlorotUniform, new SeededRandom(3))]);
        LabelledData<double> data = SyntheticData.Blobs<double>(6, 4, 2, seed: 4);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1), new TrainingOptions { Shards = 1, MaxDegreeOfParallelism = 2 });
        trainer.TrainStep(data.Inputs, data.Targets);
        ulong? first = recorder.Last.RandomKey;
        Assert.Equal(2, recorder.Last.MaxDegreeOfParallelism);
        Assert.False(recorder.LastBackward.ComputeInputGradient, "nobody needs the first layer's input gradient");

        trainer.TrainStep(data.Inputs, data.Targets);
        Assert.NotNull(first);
        Assert.NotEqual(first, recorder.Last.RandomKey);
    }

    [Fact]
    public void A_context_made_for_users_accumulates_or_overwrites_and_never_defers()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerContext<float>.Training(parameterGradients: ParameterGradientMode.Defer));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerContext<float>.Inference(-1));
        LayerContext<float> overwrite = LayerContext<float>.Training(7, 2, ParameterGradientMode.Overwrite, computeInputGradient: false);
        Assert.Equal((true, (ulong?)7, 2, false, ParameterGradientMode.Overwrite), (overwrite.IsTraining, overwrite.RandomKey, overwrite.MaxDegreeOfParallelism, overwrite.ComputeInputGradient, overwrite.ParameterGradients));
        Assert.Throws<InvalidOperationException>(() => overwrite.DeferRows(new Matrix<float>(1, 2), new Matrix<float>(1, 2)));
        LayerContext<float> none = default;
        Assert.Equal((false, 0), (none.IsTraining, none.MaxDegreeOfParallelism));
    }

    [Fact]
    public void Dense_overwrites_or_adds_its_gradients_as_the_context_says()
    {
        var dense = new Dense<double>(3, 2, WeightInitialization.GlorotUniform, new SeededRandom(5));
        var x = new Matrix<double>(4, 3);
        x.InitializeUniform(new SeededRandom(6), -1.0, 1.0);
        var dy = new Matrix<double>(4, 2);
        dy.InitializeUniform(new SeededRandom(7), -1.0, 1.0);
        dense.Forward(x, LayerContext<double>.Training());
        dense.Weights.Gradient.Fill(double.NaN);
        dense.Bias.Gradient.Fill(double.NaN);

        // Overwriting never reads the stale values (NaN here); adding then doubles them.
        dense.Backward(x, dy, LayerContext<double>.Training(parameterGradients: ParameterGradientMode.Overwrite));
        double[] once = [.. dense.Weights.Gradient.AsSpan(), .. dense.Bias.Gradient.AsSpan()];
        Assert.All(once, g => Assert.True(double.IsFinite(g)));
        dense.Backward(x, dy, LayerContext<double>.Training());
        double[] twice = [.. dense.Weights.Gradient.AsSpan(), .. dense.Bias.Gradient.AsSpan()];
        Assert.Equal(once.Select(g => 2 * g), twice, (a, b) => Math.Abs(a - b) <= 1e-14);
        Assert.Equal((x[0, 0] * dy[0, 0]) + (x[1, 0] * dy[1, 0]) + (x[2, 0] * dy[2, 0]) + (x[3, 0] * dy[3, 0]), once[0], 1e-15);
    }

    /// <summary>A pass-through layer (y = x, copied) that records the contexts it was given.</summary>
    private sealed class ContextRecorder(int size) : Layer<double>(size, size)
    {
        private Matrix<double> _output = new(1, size);
        private int _rows;

        public LayerContext<double> Last { get; private set; }

        public LayerContext<double> LastBackward { get; private set; }

        public override string Description => $"ContextRecorder({InputSize})";

        protected internal override ReadOnlyMatrixSpan<double> LastOutput => _output.Slice(0, _rows);

        public override ReadOnlyMatrixSpan<double> Forward(ReadOnlyMatrixSpan<double> input, LayerContext<double> context)
        {
            Last = context;
            _rows = input.Rows;
            if (_output.Rows < _rows)
            {
                _output = new Matrix<double>(_rows, OutputSize);
            }

            input.CopyTo(_output.Slice(0, _rows));
            return LastOutput;
        }

        public override ReadOnlyMatrixSpan<double> Backward(ReadOnlyMatrixSpan<double> input, ReadOnlyMatrixSpan<double> outputGradient, LayerContext<double> context)
        {
            LastBackward = context;
            return outputGradient;
        }

        protected internal override Layer<double> CreateReplica() => new ContextRecorder(InputSize);
    }
}
