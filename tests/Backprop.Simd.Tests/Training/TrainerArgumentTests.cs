using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>Bad data and options give an <see cref="ArgumentException"/> naming what is wrong, before any weight changes.</summary>
public sealed class TrainerArgumentTests
{
    private readonly Network<float> _network = SyntheticData.Mlp<float>(4, 5, 3, seed: 1);

    [Fact]
    public void Shapes_that_do_not_fit_the_network_are_named()
    {
        Trainer<float> trainer = Create(new TrainingOptions());
        float[] before = _network.Parameters.ToArray();
        var ex = Assert.Throws<ArgumentException>(() => trainer.Fit(new Matrix<float>(6, 5), new Matrix<float>(6, 3)));
        Assert.Equal("inputs", ex.ParamName);
        Assert.Contains("4 features", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[6 x 5]", ex.Message, StringComparison.Ordinal);

        ex = Assert.Throws<ArgumentException>(() => trainer.TrainStep(new Matrix<float>(6, 4), new Matrix<float>(5, 3)));
        Assert.Equal("targets", ex.ParamName);
        Assert.Contains("[5 x 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[6 x 3]", ex.Message, StringComparison.Ordinal);

        ex = Assert.Throws<ArgumentException>(() => trainer.Fit(new Matrix<float>(6, 4), new Matrix<float>(6, 3), new Matrix<float>(2, 4), new Matrix<float>(2, 2)));
        Assert.Equal("validationTargets", ex.ParamName);
        FloatAssert.SameBits<float>(_network.Parameters, before, "weights");
    }

    [Fact]
    public void Training_on_no_rows_is_rejected()
    {
        foreach (TrainingOptions options in new[] { new TrainingOptions(), new TrainingOptions { BatchCount = 3 }, new TrainingOptions { ValidationFraction = 0.5 } })
        {
            Trainer<float> trainer = Create(options);
            var ex = Assert.Throws<ArgumentException>(() => trainer.Fit(new Matrix<float>(0, 4), new Matrix<float>(0, 3)));
            Assert.Equal("inputs", ex.ParamName);
            Assert.Contains("[0 x 4]", ex.Message, StringComparison.Ordinal);
            Assert.Empty(trainer.History);
        }

        Assert.Throws<ArgumentException>(() => Create(new TrainingOptions()).TrainStep(new Matrix<float>(0, 4), new Matrix<float>(0, 3)));
    }

    [Fact]
    public void Invalid_options_name_the_option()
    {
        foreach ((TrainingOptions options, string name) in new[]
        {
            (new TrainingOptions { Epochs = -1 }, "Epochs"),
            (new TrainingOptions { BatchSize = 0 }, "BatchSize"),
            (new TrainingOptions { BatchCount = -2 }, "BatchCount"),
            (new TrainingOptions { Shards = 0 }, "Shards"),
            (new TrainingOptions { Shards = TrainingOptions.MaxShards + 1 }, "Shards"),
            (new TrainingOptions { L1 = double.NaN }, "L1"),
            (new TrainingOptions { L2 = -1 }, "L2"),
            (new TrainingOptions { ValidationFraction = 1 }, "ValidationFraction"),
            (new TrainingOptions { EarlyStoppingPatience = -1 }, "EarlyStoppingPatience"),
            (new TrainingOptions { MaxDegreeOfParallelism = -3 }, "MaxDegreeOfParallelism"),
            (new TrainingOptions { Reduction = (Reduction)7 }, "Reduction"),
        })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(options));
            Assert.Equal(name, ex.ParamName);
        }
    }

    [Fact]
    public void A_negative_degree_of_parallelism_is_rejected_by_the_network()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _network.MaxDegreeOfParallelism = -1);
        Assert.Equal("value", ex.ParamName);
        Assert.Equal(0, _network.MaxDegreeOfParallelism);
    }

    private Trainer<float> Create(TrainingOptions options) => new(_network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(0.1), options);
}
