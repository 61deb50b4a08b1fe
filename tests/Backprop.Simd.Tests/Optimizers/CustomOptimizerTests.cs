using System.Globalization;
using System.Numerics;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Tests.Serialization;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Optimizers;

/// <summary>
/// An optimizer of the user's own, written here against the public contract only (Adagrad): it trains in shards the
/// same on any thread count, its update in the trainer's parameter ranges is one whole step, an overflow is caught at
/// its step, and a checkpoint saves and restores it through its own name, hyperparameters and state.
/// </summary>
public sealed class CustomOptimizerTests
{
    static CustomOptimizerTests() => OptimizerRegistry.Register(Adagrad<double>.RegisteredName, AdagradFactory.Instance);

    [Fact]
    public void It_trains_in_two_shards_the_same_on_one_and_two_threads_and_close_to_one_shard() =>
        OptimizerInTrainer.TwoShardsTrainTheSameOnOneAndTwoThreads(() => new Adagrad<double>(0.05));

    [Fact]
    public void Its_update_in_the_trainers_ranges_is_one_whole_step() =>
        OptimizerInTrainer.RangesAreOneWholeStep(() => new Adagrad<double>(0.05));

    [Fact]
    public void An_update_it_overflows_is_reported_by_its_own_finite_check()
    {
        // Adagrad's first step moves a weight by lr · g / |g|: from 3e38 by another 3e38 is beyond float's range.
        float[] parameters = [3e38f, 0.5f];
        var e = Assert.Throws<ArithmeticException>(() => new Adagrad<float>(3e38).Step(parameters, [-1f, 1f], 3e38));
        Assert.Contains("infinite or NaN", e.Message, StringComparison.Ordinal);
        Assert.True(float.IsPositiveInfinity(parameters[0]));
        new Adagrad<float>(3e38).Step([0.5f, 0.5f], [-1f, 1f], 3e38);
    }

    [Fact]
    public void A_checkpoint_in_a_model_file_restores_it_and_training_goes_on_bitwise()
    {
        var options = new TrainingOptions { Epochs = 2, BatchSize = 8, Seed = 3, Shards = 2 };
        LabelledData<double> data = SyntheticData.Blobs<double>(30, 6, 3, seed: 7);
        Network<double> straight = SyntheticData.Mlp<double>(6, 12, 3, seed: 8);
        var straightTrainer = new Trainer<double>(straight, new SoftmaxCrossEntropy<double>(), new Adagrad<double>(0.1, epsilon: 1e-6), options);
        straightTrainer.Fit(data.Inputs, data.Targets);
        straightTrainer.Fit(data.Inputs, data.Targets);

        Network<double> network = SyntheticData.Mlp<double>(6, 12, 3, seed: 8);
        var first = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adagrad<double>(0.1, epsilon: 1e-6), options);
        first.Fit(data.Inputs, data.Targets);
        SavedModel<double> loaded = ModelTestData.Decode<double>(ModelTestData.Encode(new SavedModel<double>(network) { Checkpoint = first.CreateCheckpoint() }));
        Assert.Equal(("test-adagrad", "Adagrad(lr 0.1, ε 1E-06)"), (loaded.Checkpoint!.OptimizerName, loaded.Checkpoint.OptimizerDescription));

        Trainer<double> resumed = Trainer<double>.Resume(loaded.Network, new SoftmaxCrossEntropy<double>(), loaded.Checkpoint);
        var optimizer = Assert.IsType<Adagrad<double>>(resumed.Optimizer);
        Assert.Equal(1e-6, optimizer.Epsilon);
        resumed.Fit(data.Inputs, data.Targets);
        FloatAssert.SameBits<double>(loaded.Network.Parameters, straight.Parameters, "weights after resuming");
        FloatAssert.SameBits(resumed.Optimizer.State, straightTrainer.Optimizer.State, "state after resuming");
        Assert.Equal(straightTrainer.Optimizer.StepCount, resumed.Optimizer.StepCount);
    }

    [Fact]
    public void A_name_is_registered_once()
    {
        Assert.Throws<ArgumentException>(() => OptimizerRegistry.Register("adam", AdagradFactory.Instance));
        OptimizerRegistry.Register(Adagrad<double>.RegisteredName, AdagradFactory.Instance);
        Assert.Contains("test-adagrad", OptimizerRegistry.Names);
        Assert.Contains("sgd", OptimizerRegistry.Names);
    }

    /// <summary>Adagrad: s += g²; p −= lr g / (√s + ε). One state block (s), element-wise.</summary>
    private sealed class Adagrad<T>(double learningRate, double epsilon = 1e-10) : Optimizer<T>(learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public const string RegisteredName = "test-adagrad";

        public double Epsilon => epsilon;

        public override string Name => RegisteredName;

        public override IReadOnlyList<KeyValuePair<string, double>> Hyperparameters => [new("epsilon", epsilon)];

        public override string Description => string.Create(CultureInfo.InvariantCulture, $"Adagrad(lr {LearningRate}, ε {epsilon})");

        public override int StatePerParameter => 1;

        protected override bool Update(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, double learningRate)
        {
            Span<T> sum = state[0];
            T lr = T.CreateTruncating(learningRate);
            T eps = T.CreateTruncating(epsilon);
            bool finite = true;
            for (int i = 0; i < parameters.Length; i++)
            {
                T g = gradients[i];
                sum[i] += g * g;
                parameters[i] -= lr * g / (T.Sqrt(sum[i]) + eps);
                finite &= T.IsFinite(parameters[i]);
            }

            return finite;
        }
    }

    private sealed class AdagradFactory : IOptimizerFactory
    {
        public static AdagradFactory Instance { get; } = new();

        public Optimizer<T> Create<T>(double learningRate, IReadOnlyDictionary<string, double> hyperparameters)
            where T : unmanaged, IFloatingPointIeee754<T> => new Adagrad<T>(learningRate, hyperparameters["epsilon"]);
    }
}
