using Backprop.Simd.Losses;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// A trainer and a classifier run one training call at a time: a second one from another thread, or a training call
/// from inside a progress callback, is refused (it used to corrupt the shards' state: lost steps, odd exceptions,
/// wrong evaluations), while Evaluate from a callback still works. A network serves one trainer or classifier at a
/// time: a second one on it is refused at its start (it used to fail with a shape error after many steps).
/// </summary>
public sealed class ConcurrentUseTests
{
    private static readonly LabelledData<float> s_data = SyntheticData.Blobs<float>(64, 6, 3, seed: 4);

    [Fact]
    public async Task A_second_thread_cannot_use_a_trainer_while_it_trains()
    {
        var trainer = new Trainer<float>(SyntheticData.Mlp<float>(6, 8, 3, seed: 5), new SoftmaxCrossEntropy<float>(), new Adam<float>(0.01), new TrainingOptions { Epochs = 2, BatchSize = 16 });
        using var gate = new CallbackGate();
        Task<TrainingHistory> fit = Task.Run(() => trainer.Fit(s_data.Inputs, s_data.Targets, gate));
        gate.WaitUntilInside();

        Assert.Contains("in use by another thread", Assert.Throws<InvalidOperationException>(() => trainer.Fit(s_data.Inputs, s_data.Targets)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => trainer.TrainStep(s_data.Inputs, s_data.Targets));
        Assert.Throws<InvalidOperationException>(() => trainer.Evaluate(s_data.Inputs, s_data.Targets));

        gate.Release();
        await fit;
        Assert.Equal(2 * 4, trainer.StepsCompleted);
        Assert.True(double.IsFinite(trainer.Evaluate(s_data.Inputs, s_data.Targets).Loss));
    }

    [Fact]
    public void A_progress_callback_may_evaluate_but_not_train()
    {
        Trainer<float> Create() => new(SyntheticData.Mlp<float>(6, 8, 3, seed: 5), new SoftmaxCrossEntropy<float>(), new Adam<float>(0.01), new TrainingOptions { Epochs = 1, BatchSize = 16 });

        Trainer<float> evaluating = Create();
        double loss = double.NaN;
        evaluating.Fit(s_data.Inputs, s_data.Targets, new RecordingProgress<EpochMetrics>(_ => loss = evaluating.Evaluate(s_data.Inputs, s_data.Targets).Loss));
        Assert.Equal(evaluating.Evaluate(s_data.Inputs, s_data.Targets).Loss, loss);

        Trainer<float> training = Create();
        var e = Assert.Throws<InvalidOperationException>(() => training.Fit(s_data.Inputs, s_data.Targets, new RecordingProgress<EpochMetrics>(_ => training.TrainStep(s_data.Inputs, s_data.Targets))));
        Assert.Contains("from inside this trainer's own training call", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, training.StepsCompleted);
    }

    [Fact]
    public async Task A_classifier_fits_one_call_at_a_time()
    {
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], Training = { Epochs = 2, BatchSize = 16 } });
        using var gate = new CallbackGate();
        Task<TrainingHistory> fit = Task.Run(() => classifier.Fit(s_data.Inputs, s_data.Labels, gate));
        gate.WaitUntilInside();

        Assert.Throws<InvalidOperationException>(() => classifier.Fit(s_data.Inputs, s_data.Labels));

        gate.Release();
        await fit;
        Assert.Equal(2, classifier.Trainer!.EpochsCompleted);
        classifier.Fit(s_data.Inputs, s_data.Labels);
        Assert.Equal(4, classifier.Trainer.EpochsCompleted);
    }

    [Fact]
    public async Task A_second_trainer_on_the_same_network_is_refused_at_its_start()
    {
        Network<float> network = SyntheticData.Mlp<float>(6, 8, 3, seed: 5);
        var first = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(0.01), new TrainingOptions { Epochs = 2, BatchSize = 16 });
        var second = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(0.01), new TrainingOptions { Epochs = 2, BatchSize = 8, Shards = 3 });
        using var gate = new CallbackGate();
        Task<TrainingHistory> fit = Task.Run(() => first.Fit(s_data.Inputs, s_data.Targets, gate));
        gate.WaitUntilInside();
        float[] during = network.Parameters.ToArray();

        var e = Assert.Throws<InvalidOperationException>(() => second.Fit(s_data.Inputs, s_data.Targets));
        Assert.Contains("another trainer (or classifier)", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => second.TrainStep(s_data.Inputs, s_data.Targets));
        Assert.Throws<InvalidOperationException>(() => second.Evaluate(s_data.Inputs, s_data.Targets));
        Assert.Equal(0, second.StepsCompleted);
        Assert.Equal(during, network.Parameters.ToArray());

        gate.Release();
        await fit;
        Assert.Equal(2 * 4, first.StepsCompleted);
        second.Fit(s_data.Inputs, s_data.Targets);
        Assert.Equal(2 * 8, second.StepsCompleted);
    }

    [Fact]
    public async Task Two_classifiers_on_one_network_fit_one_at_a_time()
    {
        Network<float> network = SyntheticData.Mlp<float>(6, 8, 3, seed: 6);
        var options = new MlpClassifierOptions { Training = { Epochs = 2, BatchSize = 16 } };
        var first = new MlpClassifier<float>(network, options);
        var second = new MlpClassifier<float>(network, options);
        using var gate = new CallbackGate();
        Task<TrainingHistory> fit = Task.Run(() => first.Fit(s_data.Inputs, s_data.Labels, gate));
        gate.WaitUntilInside();

        Assert.Throws<InvalidOperationException>(() => second.Fit(s_data.Inputs, s_data.Labels));
        Assert.Equal(0, second.Trainer!.StepsCompleted);

        gate.Release();
        await fit;
        Assert.Equal(2 * 4, first.Trainer!.StepsCompleted);
        second.Fit(s_data.Inputs, s_data.Labels);
        Assert.Equal(2 * 4, second.Trainer.StepsCompleted);
    }

    [Fact]
    public void A_batch_too_large_for_a_layer_buffer_is_named()
    {
        // 10 million rows x 300 outputs is more than an array holds; it was a bare OverflowException.
        Network<float> network = Network<float>.Create(1, seed: 1).Dense(300, Activation.Relu).Dense(2).Build();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward(new Matrix<float>(10_000_000, 1), training: false));
        Assert.Contains("A batch of 10,000,000 rows x 300 columns is more than an array holds", e.Message, StringComparison.Ordinal);
    }

    /// <summary>An epoch callback that holds its training call inside it until released: a call that is surely running.</summary>
    private sealed class CallbackGate : IProgress<EpochMetrics>, IDisposable
    {
        private readonly ManualResetEventSlim _inside = new();
        private readonly ManualResetEventSlim _release = new();

        public void Report(EpochMetrics value)
        {
            _inside.Set();
            _release.Wait();
        }

        public void WaitUntilInside() => _inside.Wait();

        public void Release() => _release.Set();

        public void Dispose()
        {
            _inside.Dispose();
            _release.Dispose();
        }
    }
}
