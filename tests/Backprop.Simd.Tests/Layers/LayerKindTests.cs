using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Tests.Serialization;

namespace Backprop.Simd.Tests.Layers;

/// <summary>
/// One descriptor per built-in layer kind, read by the builder, the model file and the tool: every kind goes from the
/// builder through a model file and back with the same description, kind and outputs, and every name parses back.
/// </summary>
public sealed class LayerKindTests
{
    public static TheoryData<string> KindNames => [.. LayerKind.All.Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Every_kind_round_trips_through_a_model_file_in_float(string kind) => RoundTrip<float>(kind);

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Every_kind_round_trips_through_a_model_file_in_double(string kind) => RoundTrip<double>(kind);

    [Fact]
    public void The_kinds_have_distinct_names_and_codes_and_every_layer_knows_its_own()
    {
        Assert.Equal(["Dense", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax", "Dropout", "GELU", "SiLU"], LayerKind.All.Select(k => k.Name));
        Assert.Equal(["dense", "sigmoid", "tanh", "relu", "leaky-relu", "softmax", "dropout", "gelu", "silu"], LayerKind.All.Select(k => k.ToolName));
        Assert.Equal(Enumerable.Range(1, 9).Select(c => (byte)c), LayerKind.All.Select(k => k.FileCode));
        foreach (LayerKind kind in LayerKind.All)
        {
            Assert.Same(kind, LayerKind.FromFileCode(kind.FileCode));
            Assert.Contains(Build<float>(kind).Layers, l => l.Kind == kind);
        }

        Assert.Null(LayerKind.FromFileCode(0));
        Assert.Null(LayerKind.FromFileCode(10));
    }

    [Fact]
    public void Activations_are_the_activation_kinds_and_their_names_parse_back()
    {
        Assert.Equal(["identity", "sigmoid", "tanh", "relu", "leaky-relu", "softmax", "gelu", "silu"], Activation.All.Select(a => a.Name));
        Assert.Equal([Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu, Activation.Softmax, Activation.Gelu, Activation.Silu], Activation.All);
        foreach (Activation activation in Activation.All)
        {
            Assert.Equal(activation, Activation.Parse(activation.Name));
            Assert.True(Activation.TryParse(activation.Name, out Activation? parsed) && parsed == activation);
            Layer<double>? layer = activation.CreateLayer<double>(3);
            Assert.Equal(activation.Kind, layer?.Kind);
            Assert.Equal(activation == Activation.Identity ? null : activation, layer is null ? null : Activation.Of(layer));
        }

        Assert.False(Activation.TryParse("swish", out _));
        Assert.Contains("leaky-relu", Assert.Throws<ArgumentException>(() => Activation.Parse("swish")).Message, StringComparison.Ordinal);
        Assert.Null(Activation.Of(new Dense<float>(2, 2, WeightInitialization.GlorotUniform, new SeededRandom(1))));
        Assert.Equal((WeightInitialization.HeNormal, WeightInitialization.HeNormal, WeightInitialization.GlorotUniform), (Activation.Relu.DefaultInitialization, Activation.LeakyRelu.DefaultInitialization, Activation.Tanh.DefaultInitialization));
        Assert.Equal((WeightInitialization.HeNormal, WeightInitialization.HeNormal), (Activation.Gelu.DefaultInitialization, Activation.Silu.DefaultInitialization));
        Assert.False(Activation.Softmax.IsElementWise);
    }

    /// <summary>A network with a layer of the kind, saved and loaded: the same kinds and descriptions, the same outputs in inference and in training mode (dropout's own stream included).</summary>
    private static void RoundTrip<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LayerKind kind = LayerKind.All.Single(k => k.Name == name);
        Network<T> network = Build<T>(kind);
        Network<T> loaded = ModelTestData.Decode<T>(ModelTestData.Encode(new SavedModel<T>(network))).Network;

        Assert.Equal(network.Layers.Select(l => (l.Kind, l.Description)), loaded.Layers.Select(l => (l.Kind, l.Description)));
        Assert.Contains(loaded.Layers, l => l.Kind == kind);
        Matrix<T> inputs = ModelTestData.Inputs<T>(5, seed: 3);
        FloatAssert.SameBits<T>(loaded.Predict(inputs).AsSpan(), network.Predict(inputs).AsSpan(), $"{name}: predictions");
        FloatAssert.SameBits<T>(loaded.Forward(inputs, training: true).Span, network.Forward(inputs, training: true).Span, $"{name}: a training pass");
    }

    /// <summary>A small network that holds a layer of <paramref name="kind"/>, built the way users build one.</summary>
    private static Network<T> Build<T>(LayerKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NetworkBuilder<T> builder = Network<T>.Create(4, seed: 9).Dense(6, Activation.Tanh);
        if (kind == LayerKind.Dropout)
        {
            builder.Dropout(0.25);
        }
        else if (Activation.All.FirstOrDefault(a => a.Kind == kind) is { } activation)
        {
            builder.Dense(5, activation);
        }

        return builder.Dense(3).Build();
    }
}
