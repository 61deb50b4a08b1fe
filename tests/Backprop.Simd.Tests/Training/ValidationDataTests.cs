using Backprop.Simd.Losses;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// A validation set with a NaN or an infinity is refused before training, naming the set and the first bad element;
/// it used to pass silently as a NaN validation loss, and with early stopping training stopped after the patience
/// with "best epoch 0".
/// </summary>
public sealed class ValidationDataTests
{
    private static readonly LabelledData<double> s_data = SyntheticData.Blobs<double>(40, 6, 3, seed: 8);

    [Theory]
    [InlineData(double.NaN, false)]
    [InlineData(double.PositiveInfinity, true)]
    public void A_non_finite_validation_set_is_refused_naming_the_element(double bad, bool targets)
    {
        Network<double> network = SyntheticData.Mlp<double>(6, 8, 3, seed: 9);
        double[] before = network.Parameters.ToArray();
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adam<double>(0.01), new TrainingOptions { Epochs = 5, EarlyStoppingPatience = 2 });
        Matrix<double> validationInputs = s_data.Inputs.GetRows(30, 10).Clone();
        Matrix<double> validationTargets = s_data.Targets.GetRows(30, 10).Clone();
        (targets ? validationTargets : validationInputs)[3, 2] = bad;

        var e = Assert.Throws<ArgumentException>(() => trainer.Fit(s_data.Inputs.GetRows(0, 30), s_data.Targets.GetRows(0, 30), validationInputs, validationTargets));
        string name = targets ? "validationTargets" : "validationInputs";
        Assert.Equal(name, e.ParamName);
        Assert.Contains($"{name}[3, 2] is {bad}", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, trainer.StepsCompleted);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Held_out_rows_are_checked_and_named_by_their_row_in_the_inputs()
    {
        var trainer = new Trainer<double>(SyntheticData.Mlp<double>(6, 8, 3, seed: 9), new SoftmaxCrossEntropy<double>(), new Adam<double>(0.01), new TrainingOptions { ValidationFraction = 0.25 });
        Matrix<double> inputs = s_data.Inputs.Clone();
        inputs[37, 5] = double.NegativeInfinity;
        var e = Assert.Throws<ArgumentException>(() => trainer.Fit(inputs, s_data.Targets));
        Assert.Equal("inputs", e.ParamName);
        Assert.Contains("inputs[37, 5]", e.Message, StringComparison.Ordinal);

        // A training row (0 .. 29) with a NaN is caught at its step, as before: the divergence names the batch.
        inputs[37, 5] = 0;
        inputs[2, 0] = double.NaN;
        Assert.Throws<TrainingDivergedException>(() => trainer.Fit(inputs, s_data.Targets));
    }

    [Fact]
    public void A_classifier_names_its_validation_features()
    {
        var classifier = new MlpClassifier<double>(new MlpClassifierOptions { HiddenLayers = [8], Training = { Epochs = 2 } });
        Matrix<double> validation = s_data.Inputs.GetRows(30, 10).Clone();
        validation[9, 1] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => classifier.Fit(s_data.Inputs.GetRows(0, 30), s_data.Labels.AsSpan(0, 30), validation, s_data.Labels.AsSpan(30, 10)));
        Assert.Equal("validationFeatures", e.ParamName);
        Assert.Contains("validationFeatures[9, 1] is NaN", e.Message, StringComparison.Ordinal);
        Assert.False(classifier.IsFitted);
    }
}
