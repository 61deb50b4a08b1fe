using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// What torch.onnx.export (torch 1.13, Fixtures/make_fixture.py) writes for MLPs beyond a plain nn.Sequential: a flatten
/// written as x.view(x.size(0), -1), x.reshape(x.shape[0], -1) or x.view(-1, 16), a final log_softmax,
/// nn.GELU and nn.SiLU (written out of Erf and of Sigmoid and Mul), and BatchNorm1d in eval mode imports into networks that reproduce torch's outputs and ONNX Runtime's on the same file;
/// models exported in training mode are refused, naming the node and the fix.
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxTorchExportTests
{
    public static TheoryData<string, string[], bool> Importable => new()
    {
        { "mlp_torch_view", ["Dense(16 → 10)", "ReLU(10)", "Dense(10 → 3)"], true },
        { "mlp_torch_reshape", ["Dense(16 → 10)", "ReLU(10)", "Dense(10 → 3)"], true },
        { "mlp_torch_view_constant", ["Dense(16 → 10)", "ReLU(10)", "Dense(10 → 3)"], true },
        { "mlp_torch_batchnorm", ["Dense(4 → 8)", "ReLU(8)", "Dense(8 → 3)"], false },
        { "mlp_torch_batchnorm_double", ["Dense(4 → 8)", "ReLU(8)", "Dense(8 → 3)"], false },
        { "mlp_torch_gelu", ["Dense(4 → 6)", "GELU(6)", "Dense(6 → 3)"], false },
        { "mlp_torch_silu", ["Dense(4 → 6)", "SiLU(6)", "Dense(6 → 3)"], false },
    };

    [Theory]
    [MemberData(nameof(Importable))]
    public void Imports_reproduce_torch_and_onnx_runtime(string name, string[] layers, bool logSoftmax)
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load(name);
        bool isDouble = name.EndsWith("_double", StringComparison.Ordinal);
        byte[] bytes = File.ReadAllBytes(path);
        OnnxImportResult<double> asDouble = OnnxImporter.Import<double>(bytes);
        Assert.Equal(layers, asDouble.Network.Layers.Select(l => l.Description));
        Assert.Equal(logSoftmax, asDouble.LogSoftmaxOutput);
        Assert.Null(asDouble.Normalization);

        // torch computed in float32 for the float fixtures, which the double network reproduces up to float rounding.
        double[] torch = [.. expected.Outputs.SelectMany(r => r)];
        double[] library = Outputs(asDouble, expected.Inputs);
        OnnxFixtureTests.AssertClose(torch, library, isDouble ? 1e-12 : 2e-6);
        OnnxFixtureTests.AssertClose(torch, Outputs(OnnxImporter.Import<float>(bytes), expected.Inputs), 1e-5);

        OnnxDimension[] shape = OnnxModelReader.Read(bytes).Graph!.Inputs[0].Shape!;
        (double[] runtime, _) = OrtRunner.Run(
            bytes, expected.InputName, expected.OutputName, ReferenceEvaluator.Matrix(expected.Inputs), isDouble, [.. shape.Skip(1).Select(d => d.Value!.Value)]);
        OnnxFixtureTests.AssertClose(runtime, library, isDouble ? 1e-12 : 2e-6);
    }

    [Fact]
    public void Batch_normalization_is_folded_into_the_dense_layer_before_it()
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load("mlp_torch_batchnorm_double");
        var dense = (Backprop.Simd.Layers.Dense<double>)OnnxImporter.Import<double>(path).Network.Layers[0];
        double[] w = expected.Initializers["0.weight"].Values;
        double[] b = expected.Initializers["0.bias"].Values;
        double[] scale = expected.Initializers["1.0.weight"].Values;
        double[] shift = expected.Initializers["1.0.bias"].Values;
        double[] mean = expected.Initializers["1.0.running_mean"].Values;
        double[] variance = expected.Initializers["1.0.running_var"].Values;
        for (int j = 0; j < 8; j++)
        {
            double s = scale[j] / Math.Sqrt(variance[j] + 1e-5f);
            Assert.Equal(((b[j] - mean[j]) * s) + shift[j], dense.Bias.Value.AsSpan()[j]);
            Assert.Equal(w[(j * 4) + 3] * s, dense.Weights.Value[3, j]);
        }
    }

    [Theory]
    [InlineData("mlp_torch_dropout_training", "node '/1/Dropout' (Dropout): Dropout in training mode is not supported; call model.eval() before torch.onnx.export")]
    [InlineData("mlp_torch_batchnorm_training", "node '/1/1.0/BatchNormalization' (BatchNormalization): BatchNormalization in training mode is not supported; call model.eval() before torch.onnx.export")]
    public void Refusals_name_the_node_and_the_fix(string name, string message)
    {
        string path = OnnxTestFiles.Load(name).OnnxPath;
        var e = Assert.Throws<NotSupportedException>(() => OnnxImporter.Import<float>(path));
        Assert.StartsWith($"{path}: {message}", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// What the imported model computes for <paramref name="rows"/>: the network's outputs, and where the model ends in
    /// LogSoftmax, their log-softmax (in double, by the reference).
    /// </summary>
    internal static double[] Outputs<T>(OnnxImportResult<T> model, double[][] rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inputs = new Matrix<T>(rows.Length, rows[0].Length, [.. rows.SelectMany(r => r).Select(T.CreateTruncating)]);
        double[,] outputs = OnnxTestNetworks.ToDoubles(model.Network.Predict(model.Normalization?.Transform(inputs) ?? inputs));
        return ReferenceEvaluator.Flatten(model.LogSoftmaxOutput ? ReferenceEvaluator.LogSoftmax(outputs) : outputs);
    }
}
