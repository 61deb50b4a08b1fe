using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// The models the real toolchain wrote (Fixtures/make_fixture.py: torch.onnx.export and onnx.helper) import into
/// networks that reproduce the outputs torch and numpy computed, as double and as float, from a file, a stream or bytes.
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxImportFixtureTests
{
    /// <summary>
    /// Each fixture with its tolerance imported as double: the expected outputs of float fixtures come from float32
    /// arithmetic in torch (hence 2e-6), those of mlp_helper from float64 numpy on the float weights, and those of the
    /// double fixtures from float64, which a double import reproduces up to rounding.
    /// </summary>
    public static TheoryData<string, double> Fixtures => new()
    {
        { "mlp_torch", 2e-6 },
        { "mlp_helper", 1e-12 },
        { "mlp_double", 1e-12 },
        { "mlp_torch_deep", 2e-6 },
        { "mlp_torch_deep_double", 1e-12 },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Imported_as_double_the_network_reproduces_the_toolchain_outputs(string name, double tolerance)
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load(name);
        OnnxImportResult<double> model = OnnxImporter.Import<double>(path);
        OnnxFixtureTests.AssertClose(expected.Outputs.SelectMany(r => r).ToArray(), Predict(model, expected.Inputs), tolerance);
    }

    public static TheoryData<string> FixtureNames => [.. Fixtures.Select(row => (string)row[0])];

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Imported_as_float_the_network_reproduces_the_toolchain_outputs(string name)
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load(name);
        using FileStream stream = File.OpenRead(path);
        OnnxImportResult<float> model = OnnxImporter.Import<float>(stream);
        OnnxFixtureTests.AssertClose(expected.Outputs.SelectMany(r => r).ToArray(), Predict(model, expected.Inputs), 1e-5);
    }

    [Fact]
    public void Torch_export_of_a_deep_sequential_becomes_its_layers_and_standardisation()
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load("mlp_torch_deep");
        OnnxImportResult<double> model = OnnxImporter.Import<double>(File.ReadAllBytes(path));
        Assert.Equal("features", model.InputName);
        Assert.Equal("probabilities", model.OutputName);
        Assert.Equal(17, model.OpsetVersion);
        Assert.Equal("pytorch", model.ProducerName);
        Assert.Equal(
            ["Dense(6 → 10)", "Tanh(10)", "Dense(10 → 8)", "LeakyReLU(8, slope 0.2)", "Dense(8 → 5)", "Sigmoid(5)", "Dense(5 → 4)", "Softmax(4)"],
            model.Network.Layers.Select(l => l.Description));

        // torch's buffers, [2 x 3] before the Flatten, become the standardizer's 6 columns in row-major order.
        Assert.NotNull(model.Normalization);
        Assert.Equal(expected.Initializers["0.mean"].Values, model.Normalization.Mean.ToArray());
        Assert.Equal(expected.Initializers["0.std"].Values, model.Normalization.StandardDeviation.ToArray());

        // Gemm(transB = 1) weights [out x in] become [in x out].
        var first = (Backprop.Simd.Layers.Dense<double>)model.Network.Layers[0];
        double[] torchWeights = expected.Initializers["2.weight"].Values;
        Assert.Equal(torchWeights[(3 * 6) + 5], first.Weights.Value[5, 3]);
        Assert.Equal(expected.Initializers["2.bias"].Values, first.Bias.Value.AsSpan().ToArray());
    }

    [Fact]
    public void Torch_export_without_standardisation_has_none()
    {
        OnnxImportResult<float> model = OnnxImporter.Import<float>(OnnxTestFiles.Load("mlp_torch").OnnxPath);
        Assert.Null(model.Normalization);
        Assert.Equal(["Dense(4 → 8)", "ReLU(8)", "Dense(8 → 3)"], model.Network.Layers.Select(l => l.Description));
        Assert.Equal(13, model.OpsetVersion);
    }

    [Fact]
    public void Helper_fixture_folds_gemm_alpha_and_beta_and_reads_typed_fields()
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load("mlp_helper");
        OnnxImportResult<double> model = OnnxImporter.Import<double>(path);
        Assert.Equal("make_fixture.py", model.ProducerName);
        Assert.Equal(["x", "y"], [model.InputName, model.OutputName]);
        var second = (Backprop.Simd.Layers.Dense<double>)model.Network.Layers[2];
        // dense2 = Gemm(transB = 1, alpha = 0.5, beta = 2): W' = 0.5 w2^T, b' = 2 b2.
        Assert.Equal(0.5 * expected.Initializers["w2"].Values[(4 * 6) + 1], second.Weights.Value[1, 4]);
        Assert.Equal(expected.Initializers["b2"].Values.Select(v => 2 * v), second.Bias.Value.AsSpan().ToArray());
        Assert.Equal(0.1, ((Backprop.Simd.Layers.LeakyRelu<double>)model.Network.Layers[3]).Slope);
    }

    private static double[] Predict<T>(OnnxImportResult<T> model, double[][] rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inputs = new Matrix<T>(rows.Length, rows[0].Length, rows.SelectMany(r => r).Select(T.CreateTruncating).ToArray());
        return ReferenceEvaluator.Flatten(OnnxTestNetworks.Predict(model.Network, model.Normalization, inputs, softmax: false));
    }
}
