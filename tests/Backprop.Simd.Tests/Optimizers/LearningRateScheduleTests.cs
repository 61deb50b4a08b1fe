using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Optimizers;

/// <summary>The schedules against their formulas, and the trainer applying them (and a changed base rate) epoch by epoch.</summary>
public sealed class LearningRateScheduleTests
{
    public static TheoryData<string> Schedules => ["constant", "step", "exponential", "cosine"];

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Factor_follows_the_formula(string name)
    {
        (LearningRateSchedule schedule, Func<int, double> formula) = Create(name);
        for (int epoch = 0; epoch < 40; epoch++)
        {
            double expected = formula(epoch);
            double actual = schedule.Factor(epoch);
            Assert.True(Math.Abs(actual - expected) <= 1e-15 * expected, $"{schedule} epoch {epoch}: {actual:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void Schedules_reject_invalid_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Exponential(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(5, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(0.1).LearningRate = double.NaN);
    }

    /// <summary>
    /// Plain SGD on one full batch per epoch, one epoch per Fit call: each epoch's update must be exactly
    /// −(base rate × factor(epoch)) × the gradient computed independently on a copy, and the history must report that
    /// rate. The base rate is changed between Fit calls after the third epoch.
    /// </summary>
    [Theory]
    [MemberData(nameof(Schedules))]
    public void Trainer_steps_with_the_scheduled_rate_and_a_base_rate_changed_between_fits(string name)
    {
        LearningRateSchedule schedule = Create(name).Schedule;
        LabelledData<double> data = SyntheticData.Blobs<double>(20, 6, 3, seed: 2);
        Network<double> network = SyntheticData.Mlp<double>(6, 8, 3, seed: 3);
        var loss = new SoftmaxCrossEntropy<double>();
        var trainer = new Trainer<double>(network, loss, new Sgd<double>(0.5), new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 20,
            Shards = 1,
            Shuffle = false,
            Schedule = schedule,
        });

        double baseRate = 0.5;
        for (int epoch = 0; epoch < 7; epoch++)
        {
            if (epoch == 3)
            {
                baseRate = 0.2;
                trainer.Optimizer.LearningRate = baseRate;
            }

            // The factor itself is checked against the formula above; here the trainer must apply it.
            double rate = baseRate * schedule.Factor(epoch);
            Network<double> copy = network.Clone();
            copy.AccumulateGradients(data.Inputs, data.Targets, loss);
            double[] expected = new double[network.ParameterCount];
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = copy.Parameters[i] - (rate * copy.Gradients[i]);
            }

            trainer.Fit(data.Inputs, data.Targets);
            Assert.Equal(epoch + 1, trainer.History[epoch].Epoch);
            Assert.Equal(rate, trainer.History[epoch].LearningRate);
            FloatAssert.SameBits<double>(network.Parameters, expected, $"{schedule}, parameters after epoch {epoch + 1}");
        }
    }

    private static (LearningRateSchedule Schedule, Func<int, double> Formula) Create(string name) => name switch
    {
        "constant" => (LearningRateSchedule.Constant, _ => 1.0),
        "step" => (LearningRateSchedule.Step(3, 0.5), e => Math.Pow(0.5, Math.Floor(e / 3.0))),
        "exponential" => (LearningRateSchedule.Exponential(0.9), e => Math.Pow(0.9, e)),
        "cosine" => (LearningRateSchedule.Cosine(10, 0.1), e => e >= 10 ? 0.1 : 0.1 + (0.45 * (1 + Math.Cos(Math.PI * e / 10)))),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown schedule."),
    };
}
