using System.Numerics.Tensors;
using System.Text.Json;
using Backprop.Simd.Cli.Data;
using Backprop.Simd.Data;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Cli.Tests;

/// <summary>import of the models torch.onnx.export wrote (the library's committed fixtures) into model files that eval and predict use.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public ImportCommandTests() => Model = _directory["imported.bpm"];

    private string Model { get; }

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("f32")]
    [InlineData("f64")]
    public async Task A_torch_model_imports_into_a_model_file_with_torchs_outputs(string dtype)
    {
        OnnxFixture fixture = OnnxFixture.Load("mlp_torch");

        CliRun run = await CliRun.RunAsync("import", fixture.Path, "--out", Model, "--dtype", dtype);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Error);
        Assert.Equal(
            [
                $"imported {fixture.Path}: producer pytorch, opset 13, input 'input' → output 'output'",
                $"saved {Model}: 4 → 3, {dtype}, 3 layers, 67 parameters, output logits (predict applies softmax)",
                "Dense(4 → 8)",
                "ReLU(8)",
                "Dense(8 → 3)",
                "standardisation: none; image shape 2x2; classes 0, 1, 2; data set none (mnist10k, the default, does not fit: the model takes 4 features per sample but the data has 784; eval and predict --index need --dataset or --data)",
            ],
            run.OutputLines);
        ModelFileInfo info = ModelFile.ReadInfo(Model);
        Assert.Equal("none", info.Metadata["dataset"]);
        Assert.Equal(dtype == "f64" ? typeof(double) : typeof(float), info.ElementType);
        Assert.Equal("logits", info.Metadata["output"]);
        Assert.Equal("pytorch", info.Metadata["onnx_producer"]);

        // torch computed in float; the float weights are exact in either type.
        double[][] outputs = dtype == "f64"
            ? Predictions.Values(ModelFile.Load<double>(Model).Predict(Predictions.Rows<double>(fixture.Inputs)))
            : Predictions.Values(ModelFile.Load<float>(Model).Predict(Predictions.Rows<float>(fixture.Inputs)));
        Predictions.AssertSame(fixture.Outputs, outputs, 2e-6);
    }

    /// <summary>nn.GELU and nn.SiLU as torch writes them at opset 13 (Erf and Sigmoid·Mul forms) import as those layers.</summary>
    [Theory]
    [InlineData("mlp_torch_gelu", "GELU(6)")]
    [InlineData("mlp_torch_silu", "SiLU(6)")]
    public async Task Torch_gelu_and_silu_import_as_their_layers(string name, string activation)
    {
        OnnxFixture fixture = OnnxFixture.Load(name);

        CliRun run = await CliRun.RunAsync("import", fixture.Path, "--out", Model);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["Dense(4 → 6)", activation, "Dense(6 → 3)"], run.OutputLines.Skip(2).Take(3));
        Predictions.AssertSame(fixture.Outputs, Predictions.Values(ModelFile.Load<float>(Model).Predict(Predictions.Rows<float>(fixture.Inputs))), 2e-6);
    }

    [Fact]
    public async Task A_torch_model_ending_in_softmax_after_a_standardisation_imports_as_probabilities()
    {
        OnnxFixture fixture = OnnxFixture.Load("mlp_torch_deep");

        CliRun run = await CliRun.RunAsync("import", fixture.Path, "--out", Model, "--image-shape", "2x3", "--classes", "north,east,south,west");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"saved {Model}: 6 → 4, f32, 8 layers, 227 parameters, output probabilities (the graph ends in Softmax)", run.OutputLines);
        Assert.Contains("standardisation: from the graph; image shape 2x3; classes north, east, south, west; data set none (mnist10k, the default, does not fit: the model takes 6 features per sample but the data has 784; eval and predict --index need --dataset or --data)", run.OutputLines);
        Assert.Equal("probabilities", ModelFile.ReadInfo(Model).Metadata["output"]);
        SavedModel<float> model = ModelFile.Load<float>(Model);
        Assert.NotNull(model.Normalization);
        Predictions.AssertSame(fixture.Outputs, Predictions.Values(model.Predict(Predictions.Rows<float>(fixture.Inputs))), 2e-6);
    }

    [Fact]
    public async Task A_torch_mnist_style_model_flattening_with_view_and_ending_in_log_softmax_imports_as_logits()
    {
        OnnxFixture fixture = OnnxFixture.Load("mlp_torch_view");

        CliRun run = await CliRun.RunAsync("import", fixture.Path, "--out", Model, "--dtype", "f64");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"saved {Model}: 16 → 3, f64, 3 layers, 203 parameters, output logits (the graph's LogSoftmax: predict applies softmax)", run.OutputLines);
        Assert.Contains("standardisation: none; image shape 4x4; classes 0, 1, 2; data set none (mnist10k, the default, does not fit: the model takes 16 features per sample but the data has 784; eval and predict --index need --dataset or --data)", run.OutputLines);
        Assert.Equal("logits", ModelFile.ReadInfo(Model).Metadata["output"]);

        // The model's log-probabilities are the log-softmax of the saved network's logits.
        Matrix<double> logits = ModelFile.Load<double>(Model).Predict(Predictions.Rows<double>(fixture.Inputs));
        double[][] logProbabilities = [.. Predictions.Values(Predictions.Softmax(logits)).Select(row => row.Select(v => Math.Log(v)).ToArray())];
        Predictions.AssertSame(fixture.Outputs, logProbabilities, 2e-6);
    }

    [Fact]
    public async Task Import_help_lists_the_operators_the_importer_reads()
    {
        CliRun run = await CliRun.RunAsync("import", "--help");

        Assert.Equal(0, run.ExitCode);
        string help = string.Join(" ", run.Output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"a chain of the operators {string.Join(", ", OnnxImporter.SupportedOperators)} (docs/onnx.md", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("predict", "--index", "0")]
    public async Task A_model_imported_without_a_data_set_that_fits_needs_one_named(params string[] command)
    {
        Assert.Equal(0, (await CliRun.RunAsync("import", OnnxFixture.Load("mlp_torch").Path, "--out", Model)).ExitCode);

        CliRun run = await CliRun.RunAsync([.. command, "--model", Model]);

        run.AssertUserError("The model records no data set (it was imported without one, and mnist10k does not fit it); name its data with --dataset or --data.");
    }

    [Fact]
    public async Task Fashion_mnist_is_recorded_even_where_it_is_not_on_the_machine()
    {
        // A machine that only predicts from pictures need not hold the 70,000 images; where they are, they are checked.
        string onnx = _directory["fashion.onnx"];
        OnnxExporter.Export(onnx, Network<float>.Create(28 * 28, seed: 5).Dense(10).Build(), new OnnxExportOptions<float>());

        CliRun import = await CliRun.RunAsync("import", onnx, "--out", Model, "--dataset", "fashion-mnist");

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal("fashion-mnist", ModelFile.ReadInfo(Model).Metadata["dataset"]);
        Assert.Contains("; data set fashion-mnist", import.OutputLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_of_mnist_shape_imported_without_a_data_set_records_mnist10k()
    {
        string onnx = _directory["mnist.onnx"];
        OnnxExporter.Export(onnx, Network<float>.Create(28 * 28, seed: 5).Dense(10).Build(), new OnnxExportOptions<float>());

        CliRun import = await CliRun.RunAsync("import", onnx, "--out", Model);
        CliRun eval = await CliRun.RunAsync("eval", "--model", Model, "--json");

        Assert.True(import.ExitCode == 0 && eval.ExitCode == 0, $"{import}\n{eval}");
        Assert.EndsWith("; data set mnist10k", import.OutputLines[^1], StringComparison.Ordinal);
        Assert.Equal("mnist10k", ModelFile.ReadInfo(Model).Metadata["dataset"]);
        Assert.Equal(500, Assert.Single(eval.JsonLines()).GetProperty("samples").GetInt32());
    }

    [Fact]
    public async Task Eval_and_predict_run_an_imported_torch_model_on_images_of_its_input_size()
    {
        // 2x2 images of random pixels and labels: the torch model's four inputs; what matters is that eval and
        // predict report what the model computes on them.
        string data = Directory.CreateDirectory(_directory["data"]).FullName;
        var random = new SeededRandom(7);
        foreach ((string prefix, int count) in new[] { ("train", 10), ("t10k", 40) })
        {
            byte[] pixels = [.. Enumerable.Range(0, count * 4).Select(_ => (byte)random.NextInt32(256))];
            byte[] labels = [.. Enumerable.Range(0, count).Select(_ => (byte)random.NextInt32(3))];
            IdxWriter.Write(Path.Combine(data, $"{prefix}-images-idx3-ubyte"), new IdxArray([count, 2, 2], pixels));
            IdxWriter.Write(Path.Combine(data, $"{prefix}-labels-idx1-ubyte"), new IdxArray([count], labels));
        }

        CliRun import = await CliRun.RunAsync("import", OnnxFixture.Load("mlp_torch").Path, "--out", Model, "--data", data, "--classes", "cat,dog,bird");
        CliRun eval = await CliRun.RunAsync("eval", "--model", Model, "--json");
        CliRun predict = await CliRun.RunAsync("predict", "--model", Model, "--index", "3", "--json");

        Assert.True(import.ExitCode == 0 && eval.ExitCode == 0 && predict.ExitCode == 0, $"{import}\n{eval}\n{predict}");
        Dataset<float> test = DataLoader.Load<float>(DataRequest.Create("idx", data, 0), PixelScaling.UnitInterval).Test!;
        Matrix<float> probabilities = Predictions.Softmax(ModelFile.Load<float>(Model).Predict(test.Features));
        int correct = Enumerable.Range(0, test.Count).Count(i => TensorPrimitives.IndexOfMax<float>(probabilities.Row(i)) == test.Labels[i]);

        JsonElement evaluation = Assert.Single(eval.JsonLines());
        Assert.Equal(40, evaluation.GetProperty("samples").GetInt32());
        Assert.Equal((double)correct / 40, evaluation.GetProperty("accuracy").GetDouble());
        Assert.Equal(["cat", "dog", "bird"], evaluation.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        JsonElement prediction = Assert.Single(predict.JsonLines());
        int predicted = TensorPrimitives.IndexOfMax<float>(probabilities.Row(3));
        Assert.Equal(predicted, prediction.GetProperty("predicted").GetInt32());
        Assert.Equal(new[] { "cat", "dog", "bird" }[predicted], prediction.GetProperty("class").GetString());
        Assert.Equal(test.Labels[3], prediction.GetProperty("label").GetInt32());
        double[] printed = [.. prediction.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble())];
        Predictions.AssertSame([Predictions.Values(probabilities)[3]], [printed], 1e-6);
    }
}
