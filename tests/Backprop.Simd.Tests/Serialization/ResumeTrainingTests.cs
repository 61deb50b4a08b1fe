using System.Numerics;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Serialization;

/// <summary>
/// Train N epochs, save with a checkpoint, load, resume and train M more: the weights are bitwise those of N + M
/// epochs without a break, with shuffling, dropout, a step schedule and L2 in play.
/// </summary>
[Trait("Category", "Serialization")]
public sealed class ResumeTrainingTests
{
    private const int Samples = 37;
    private const int FirstEpochs = 3;
    private const int MoreEpochs = 4;

    public static TheoryData<string> Optimizers => ["sgd-momentum", "sgd-nesterov", "adam", "adamw", "rmsprop", "rmsprop-centered-momentum"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Resumed_float_training_matches_uninterrupted_training(string optimizer) => ResumeMatchesStraightRun<float>(optimizer);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Resumed_double_training_matches_uninterrupted_training(string optimizer) => ResumeMatchesStraightRun<double>(optimizer);

    [Fact]
    public void Resuming_without_the_checkpoint_does_not_match()
    {
        // The control: the same weights with a fresh optimizer and shuffle diverge, so the test above can fail.
        (Network<double> straight, _) = TrainStraight<double>("adam");
        Network<double> interrupted = Build<double>();
        var first = new Trainer<double>(interrupted, Loss<double>(), CreateOptimizer<double>("adam"), Options(FirstEpochs));
        first.Fit(Inputs<double>(), Targets<double>());
        var fresh = new Trainer<double>(interrupted, Loss<double>(), CreateOptimizer<double>("adam"), Options(MoreEpochs));
        fresh.Fit(Inputs<double>(), Targets<double>());

        Assert.NotEqual(straight.Parameters.ToArray(), interrupted.Parameters.ToArray());
    }

    [Fact]
    public void An_in_memory_checkpoint_resumes_too_even_with_a_custom_schedule()
    {
        var schedule = new HalvingSchedule();
        (Network<float> straight, _) = TrainStraight<float>("sgd-momentum", schedule);
        Network<float> interrupted = Build<float>();
        var first = new Trainer<float>(interrupted, Loss<float>(), CreateOptimizer<float>("sgd-momentum"), Options(FirstEpochs, schedule));
        first.Fit(Inputs<float>(), Targets<float>());
        TrainingCheckpoint checkpoint = first.CreateCheckpoint();
        Network<float> atCheckpoint = interrupted.Clone();

        // Training on with the first trainer does not change the snapshot.
        first.Fit(Inputs<float>(), Targets<float>());
        Assert.Equal(FirstEpochs, checkpoint.EpochsCompleted);

        Trainer<float> resumed = Trainer<float>.Resume(atCheckpoint, Loss<float>(), checkpoint, Options(MoreEpochs, schedule));
        resumed.Fit(Inputs<float>(), Targets<float>());
        FloatAssert.SameBits<float>(atCheckpoint.Parameters, straight.Parameters, "weights after resuming");

        // Only the file needs a schedule it knows; and a checkpoint fits only its own network.
        ArgumentException e = Assert.Throws<ArgumentException>(() => ModelFile.Save(new MemoryStream(), new SavedModel<float>(atCheckpoint) { Checkpoint = checkpoint }));
        Assert.Contains("learning-rate schedule 'halving' (HalvingSchedule) cannot be saved", e.Message, StringComparison.Ordinal);
        Assert.Equal("model", e.ParamName);
        Network<float> other = Network<float>.Create(2).Dense(1).Build();
        Assert.Throws<ArgumentException>(() => Trainer<float>.Resume(other, Loss<float>(), checkpoint));
        Assert.Throws<ArgumentException>(() => new SavedModel<float>(other) { Checkpoint = checkpoint });
    }

    [Fact]
    public void A_checkpoint_saved_from_an_epoch_report_resumes_exactly()
    {
        (Network<float> straight, _) = TrainStraight<float>("adam");
        Network<float> network = Build<float>();
        var trainer = new Trainer<float>(network, Loss<float>(), CreateOptimizer<float>("adam"), Options(FirstEpochs + MoreEpochs));
        byte[]? saved = null;
        trainer.Fit(Inputs<float>(), Targets<float>(), new OnTheSpot<EpochMetrics>(metrics =>
        {
            // What a command-line trainer does to survive being killed: save after every epoch.
            if (metrics.Epoch == FirstEpochs)
            {
                saved = ModelTestData.Encode(new SavedModel<float>(network) { Checkpoint = trainer.CreateCheckpoint() });
            }
        }));

        SavedModel<float> loaded = ModelTestData.Decode<float>(saved!);
        TrainingOptions options = loaded.Checkpoint!.Options;
        options.Epochs = MoreEpochs;
        Trainer<float>.Resume(loaded.Network, Loss<float>(), loaded.Checkpoint, options).Fit(Inputs<float>(), Targets<float>());
        FloatAssert.SameBits<float>(loaded.Network.Parameters, straight.Parameters, "weights after resuming from a report");
    }

    private static void ResumeMatchesStraightRun<T>(string optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (Network<T> straight, Trainer<T> straightTrainer) = TrainStraight<T>(optimizer);

        Network<T> network = Build<T>();
        var first = new Trainer<T>(network, Loss<T>(), CreateOptimizer<T>(optimizer), Options(FirstEpochs));
        first.Fit(Inputs<T>(), Targets<T>());
        var model = new SavedModel<T>(network) { Checkpoint = first.CreateCheckpoint() };
        SavedModel<T> loaded = ModelTestData.Decode<T>(ModelTestData.Encode(model));

        TrainingOptions options = loaded.Checkpoint!.Options;
        options.Epochs = MoreEpochs;
        Trainer<T> resumed = Trainer<T>.Resume(loaded.Network, Loss<T>(), loaded.Checkpoint, options);
        Assert.Equal(FirstEpochs, resumed.EpochsCompleted);
        resumed.Fit(Inputs<T>(), Targets<T>());

        FloatAssert.SameBits<T>(loaded.Network.Parameters, straight.Parameters, $"{optimizer} weights after resuming");
        FloatAssert.SameBits(resumed.Optimizer.State, straightTrainer.Optimizer.State, $"{optimizer} state after resuming");
        Assert.Equal(straightTrainer.Optimizer.StepCount, resumed.Optimizer.StepCount);
        Assert.Equal(straightTrainer.StepsCompleted, resumed.StepsCompleted);
        Assert.Equal(
            straightTrainer.History.Select(m => (m.Epoch, m.Loss, m.DataLoss, m.GradientNorm, m.LearningRate)),
            resumed.History.Select(m => (m.Epoch, m.Loss, m.DataLoss, m.GradientNorm, m.LearningRate)));
    }

    private static (Network<T> Network, Trainer<T> Trainer) TrainStraight<T>(string optimizer, LearningRateSchedule? schedule = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = Build<T>();
        var trainer = new Trainer<T>(network, Loss<T>(), CreateOptimizer<T>(optimizer), Options(FirstEpochs + MoreEpochs, schedule));
        trainer.Fit(Inputs<T>(), Targets<T>());
        return (network, trainer);
    }

    private static Network<T> Build<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Network<T>.Create(ModelTestData.Features, seed: 21).Dense(8, Activation.Relu).Dropout(0.25).Dense(3).Build();

    private static Loss<T> Loss<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => new SoftmaxCrossEntropy<T>();

    private static Matrix<T> Inputs<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => ModelTestData.Inputs<T>(Samples, 31);

    private static Matrix<T> Targets<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => ModelTestData.Targets<T>(Samples, 3, 32);

    private static TrainingOptions Options(int epochs, LearningRateSchedule? schedule = null) => new()
    {
        Epochs = epochs,
        BatchSize = 8,
        Shuffle = true,
        Seed = 99,
        Shards = 3,
        L2 = 1e-3,
        Schedule = schedule ?? LearningRateSchedule.Step(2, 0.5),
    };

    private static Optimizer<T> CreateOptimizer<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T> => name switch
        {
            "sgd-momentum" => new Sgd<T>(0.05, momentum: 0.9),
            "sgd-nesterov" => new Sgd<T>(0.05, momentum: 0.8, nesterov: true),
            "adam" => new Adam<T>(0.01),
            "adamw" => new Adam<T>(0.01, beta1: 0.85, beta2: 0.99, epsilon: 1e-7, weightDecay: 0.01),
            "rmsprop" => new RmsProp<T>(0.01),
            "rmsprop-centered-momentum" => new RmsProp<T>(0.005, alpha: 0.9, epsilon: 1e-6, momentum: 0.8, centered: true, weightDecay: 0.01),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown optimizer."),
        };

    /// <summary>Reports on the training thread, at once (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class OnTheSpot<TValue>(Action<TValue> action) : IProgress<TValue>
    {
        public void Report(TValue value) => action(value);
    }

    /// <summary>A schedule the format does not know: halves the rate every epoch.</summary>
    private sealed class HalvingSchedule : LearningRateSchedule
    {
        public override string Description => "halving";

        public override double Factor(int epoch) => Math.Pow(0.5, epoch);
    }
}
