using Backprop.Simd.Cli.Commands;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Cli.Tests;

/// <summary><c>--activation</c> offers every element-wise activation the library declares, by its own name, and each name parses back.</summary>
public sealed class ActivationNamesTests
{
    [Fact]
    public void The_tool_offers_the_element_wise_activations_and_their_names_parse_back()
    {
        Assert.Equal(["sigmoid", "tanh", "relu", "leaky-relu", "gelu", "silu"], ActivationNames.Names);
        Assert.Equal("relu, leaky-relu, gelu and silu", ActivationNames.HeInitialized);
        foreach (string name in ActivationNames.Names)
        {
            Activation activation = ActivationNames.Parse(name);
            Assert.Equal(name, activation.Name);
            Assert.True(activation.IsElementWise && activation.Kind is not null);
        }

        foreach (string refused in new[] { "identity", "softmax", "swish" })
        {
            Assert.Contains("--activation must be one of sigmoid, tanh, relu, leaky-relu, gelu, silu", Assert.Throws<ArgumentException>(() => ActivationNames.Parse(refused)).Message, StringComparison.Ordinal);
        }
    }
}
