using Backprop.Simd.Diagnostics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Diagnostics;

/// <summary>
/// A parameter that sits exactly on a kink (a ReLU's input at 0) has no derivative: the central differences there
/// average the two slopes and agree with each other, so only the second differences reveal it. The check must skip
/// such an element, not report the average slope against the analytic one-sided value.
/// </summary>
[Trait("Category", "Gradients")]
public sealed class GradientCheckKinkTests
{
    [Fact]
    public void A_parameter_exactly_on_a_relu_kink_is_skipped_not_misreported()
    {
        // x = 1: the dense layer's output 0.5 x - 0.5 is exactly 0, the ReLU's kink. With the target far away the loss
        // (y - 1000)² is nearly linear on either side, so the first differences at h and 2h agree to 5·10⁻⁷.
        var network = new Network<double>([new Dense<double>(new Matrix<double>(1, 1, [0.5]), [-0.5]), new Relu<double>(1)]);
        var inputs = new Matrix<double>(1, 1, [1.0]);
        var targets = new Matrix<double>(1, 1, [1000.0]);

        GradientCheckReport report = GradientCheck.Check(network, new MeanSquaredError<double>(), inputs, targets);

        TensorGradientError weights = report.Tensors.Single(t => t.Name == "layer 0 weights");
        TensorGradientError bias = report.Tensors.Single(t => t.Name == "layer 0 bias");
        Assert.True(weights.Skipped == 1 && bias.Skipped == 1, report.ToString());
        Assert.True(report.MaxRelativeError < 1e-6, report.ToString());
    }

    [Fact]
    public void The_same_parameter_off_the_kink_is_checked()
    {
        var network = new Network<double>([new Dense<double>(new Matrix<double>(1, 1, [0.5]), [-0.25]), new Relu<double>(1)]);
        var inputs = new Matrix<double>(1, 1, [1.0]);
        var targets = new Matrix<double>(1, 1, [1000.0]);

        GradientCheckReport report = GradientCheck.Check(network, new MeanSquaredError<double>(), inputs, targets);

        Assert.True(report.Skipped == 0 && report.MaxRelativeError < 1e-6, report.ToString());
    }
}
