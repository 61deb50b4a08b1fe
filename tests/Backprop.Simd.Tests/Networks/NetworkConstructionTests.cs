using Backprop.Simd.Layers;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Networks;

/// <summary>Bad layer lists get the constructor's own errors, naming the problem, never a NullReferenceException.</summary>
public sealed class NetworkConstructionTests
{
    [Fact]
    public void A_null_layer_is_an_argument_null_error()
    {
        var dense = new Dense<double>(3, 2, WeightInitialization.GlorotUniform, new SeededRandom(1));
        ArgumentNullException ex = Assert.Throws<ArgumentNullException>(() => new Network<double>([dense, null!]));
        Assert.Equal("layers", ex.ParamName);
    }

    [Fact]
    public void No_layers_sizes_that_do_not_chain_and_a_shared_layer_are_named()
    {
        var random = new SeededRandom(1);
        Assert.Contains("at least one layer", Assert.Throws<ArgumentException>(() => new Network<double>([])).Message);

        var first = new Dense<double>(3, 2, WeightInitialization.GlorotUniform, random);
        var wrong = new Dense<double>(5, 1, WeightInitialization.GlorotUniform, random);
        Assert.Contains("takes 5 inputs but layer 0", Assert.Throws<ArgumentException>(() => new Network<double>([first, wrong])).Message);

        var relu = new Relu<double>(2);
        Assert.Contains("already belongs", Assert.Throws<ArgumentException>(() => new Network<double>([first, relu, relu])).Message);
    }

    [Fact]
    public void A_rejected_dense_call_leaves_the_builder_as_it_was()
    {
        NetworkBuilder<float> builder = Network<float>.Create(3, seed: 7);
        Assert.Equal("initialization", Assert.Throws<ArgumentOutOfRangeException>(() => builder.Dense(2, Activation.Tanh, (WeightInitialization)99)).ParamName);
        Network<float> built = builder.Dense(2, Activation.Tanh).Build();

        Network<float> fresh = Network<float>.Create(3, seed: 7).Dense(2, Activation.Tanh).Build();
        Assert.Equal(fresh.Layers.Count, built.Layers.Count);
        Assert.Equal(fresh.Parameters.ToArray(), built.Parameters.ToArray());
    }
}
