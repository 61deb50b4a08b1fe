using Backprop.Simd.Cli.Models;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Cli.Tests;

public sealed class ModelChecksTests
{
    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.NaN)]
    public void A_non_finite_output_names_the_first_row_that_has_one(float bad)
    {
        var outputs = new Matrix<float>(5, 3);
        outputs.Fill(float.MaxValue);
        outputs[2, 1] = bad;
        outputs[4, 0] = bad;

        var error = Assert.Throws<InvalidDataException>(() => ModelChecks.CheckFinite(outputs, "m.bpm", row => $"sample {row}"));

        Assert.Equal("The model 'm.bpm' gives a non-finite output (NaN or infinity) for sample 2: its weights are probably too large for f32, so the sums overflow.", error.Message);
    }

    [Fact]
    public void Finite_outputs_pass_without_naming_a_sample()
    {
        var outputs = new Matrix<double>(4, 3);
        outputs.Fill(-double.MaxValue);

        ModelChecks.CheckFinite(outputs, "m.bpm", row => throw new InvalidOperationException($"row {row} was named"));
    }
}
