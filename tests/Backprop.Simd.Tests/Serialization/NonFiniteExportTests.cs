using Backprop.Simd.Networks;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Serialization;

/// <summary>ONNX export refuses a network with a NaN or infinite parameter, naming it, and writes nothing.</summary>
[Trait("Category", "Serialization")]
public sealed class NonFiniteExportTests : IDisposable
{
    private readonly string _directory = ModelTestData.CreateTemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void A_network_with_a_non_finite_parameter_is_not_exported(float bad, string shown)
    {
        Network<float> network = ModelTestData.Network<float>("tanh-softmax", seed: 1);

        // Layer 1's weights [6 x 3] start after layer 0's 4 x 6 weights and 6 biases; element [2, 1].
        network.Parameters[(4 * 6) + 6 + (2 * 3) + 1] = bad;
        string path = Path.Combine(_directory, "model.onnx");

        ArgumentException e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(path, network));
        Assert.Contains($"parameter weights[2, 1] of layer 2 (Dense(6 → 3)) is {shown}", e.Message, StringComparison.Ordinal);
        Assert.Equal("network", e.ParamName);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));

        var stream = new MemoryStream();
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(stream, network));
        Assert.Equal(0, stream.Length);
    }
}
