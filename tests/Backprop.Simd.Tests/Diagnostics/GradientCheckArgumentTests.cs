using Backprop.Simd.Diagnostics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Diagnostics;

/// <summary>
/// A gradient check at a point where something is not finite cannot compare anything: every finite difference is
/// NaN, which the check reads as a kink and skips, so it would report no error at all. It must refuse instead.
/// </summary>
[Trait("Category", "Gradients")]
public sealed class GradientCheckArgumentTests
{
    [Theory]
    [InlineData("input", "inputs")]
    [InlineData("target", "targets")]
    [InlineData("weight", "network")]
    public void A_non_finite_value_is_named_not_skipped(string where, string parameter)
    {
        (Network<double> network, Matrix<double> inputs, Matrix<double> targets) = Setup();
        Assert.True(GradientCheck.Check(network, new SoftmaxCrossEntropy<double>(), inputs, targets).MaxRelativeError < 1e-6);
        switch (where)
        {
            case "input": inputs[1, 2] = double.NaN; break;
            case "target": targets[0, 1] = double.PositiveInfinity; break;
            default: network.Parameters[5] = double.NaN; break;
        }

        var ex = Assert.Throws<ArgumentException>(() => GradientCheck.Check(network, new SoftmaxCrossEntropy<double>(), inputs, targets, l1: 0.1));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains("finite", ex.Message, StringComparison.Ordinal);
        Assert.Contains(where == "weight" ? "layer 0 weights[1, 1]" : where == "input" ? "inputs[1, 2]" : "targets[0, 1]", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, 0)]
    [InlineData(-5, 0)]
    [InlineData(0, double.NaN)]
    [InlineData(0, double.PositiveInfinity)]
    public void Penalty_strengths_must_be_non_negative_and_finite(double l1, double l2)
    {
        (Network<double> network, Matrix<double> inputs, Matrix<double> targets) = Setup();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Check(network, new SoftmaxCrossEntropy<double>(), inputs, targets, l1: l1, l2: l2));
        Assert.Equal(double.IsNaN(l1) || l1 < 0 ? "l1" : "l2", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Check(network, new SoftmaxCrossEntropy<double>(), inputs, targets, step: double.NaN));
    }

    [Fact]
    public void An_objective_that_overflows_is_refused()
    {
        (Network<double> network, Matrix<double> inputs, Matrix<double> targets) = Setup();
        targets[0, 0] = 1e300;
        var ex = Assert.Throws<ArgumentException>(() => GradientCheck.Check(network, new MeanSquaredError<double>(), inputs, targets));
        Assert.Contains("The objective is", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_check_refuses_non_finite_inputs_and_parameters()
    {
        var random = new SeededRandom(3);
        var dense = new Dense<double>(3, 2, WeightInitialization.GlorotUniform, random);
        var inputs = new Matrix<double>(4, 3);
        inputs.InitializeUniform(random, -1.0, 1.0);
        Assert.True(GradientCheck.Check(dense, inputs).MaxRelativeError < 1e-6);

        dense.Parameters[0].Value[1, 0] = double.NegativeInfinity;
        Assert.Contains("weights[1, 0]", Assert.Throws<ArgumentException>(() => GradientCheck.Check(dense, inputs)).Message, StringComparison.Ordinal);
        dense.Parameters[0].Value[1, 0] = 0.5;
        inputs[3, 2] = double.NaN;
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => GradientCheck.Check(dense, inputs)).ParamName);
    }

    private static (Network<double> Network, Matrix<double> Inputs, Matrix<double> Targets) Setup()
    {
        Network<double> network = Network<double>.Create(3, seed: 1).Dense(4, Activation.Tanh).Dense(2).Build();
        var random = new SeededRandom(2);
        var inputs = new Matrix<double>(3, 3);
        inputs.InitializeUniform(random, -1.0, 1.0);
        var targets = new Matrix<double>(new double[,] { { 1, 0 }, { 0, 1 }, { 1, 0 } });
        return (network, inputs, targets);
    }
}
