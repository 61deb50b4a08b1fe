using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Backprop.Simd.Cli.Data;
using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Cli.Tests;

/// <summary>export --onnx of models train wrote, checked by importing the file with the library and through import, eval and predict.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public ExportCommandTests()
    {
        SyntheticIdx.Write(_directory.Path, trainCount: 600, testCount: 150);
        Model = _directory["model.bpm"];
        Onnx = _directory["model.onnx"];
    }

    private string Model { get; }

    private string Onnx { get; }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Export_writes_a_classifier_whose_onnx_output_is_the_softmax_of_the_models_logits()
    {
        Assert.Equal(0, (await Train("--standardize", "--out", Model)).ExitCode);

        CliRun run = await CliRun.RunAsync("export", "--model", Model, "--onnx", Onnx);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Error);
        string line = Assert.Single(run.OutputLines);
        Assert.Equal(
            string.Create(CultureInfo.InvariantCulture, $"wrote {Onnx}: {new FileInfo(Onnx).Length:N0} bytes, opset 17, f32 (FLOAT), input 'input' [batch x 64] → output 'probabilities' [batch x 3], softmax appended, standardisation included"),
            line);
        OnnxImportResult<float> imported = OnnxImporter.Import<float>(Onnx);
        Assert.Equal(17, imported.OpsetVersion);
        Assert.IsType<Softmax<float>>(imported.Network.Layers[^1]);
        Assert.NotNull(imported.Normalization);

        Matrix<float> features = TestFeatures<float>();
        Matrix<float> expected = Predictions.Softmax(ModelFile.Load<float>(Model).Predict(features));
        Matrix<float> actual = imported.Network.Predict(imported.Normalization.Transform(features));
        Predictions.AssertSame(Predictions.Values(expected), Predictions.Values(actual), 1e-6);
    }

    [Fact]
    public async Task A_double_model_exports_as_double_and_no_softmax_leaves_its_logits()
    {
        Assert.Equal(0, (await Train("--standardize", "--dtype", "f64", "--out", Model)).ExitCode);

        CliRun run = await CliRun.RunAsync("export", "--model", Model, "--onnx", Onnx, "--opset", "13", "--no-softmax");

        Assert.True(run.ExitCode == 0, run.ToString());
        string line = Assert.Single(run.OutputLines);
        Assert.Contains("opset 13, f64 (DOUBLE), input 'input' [batch x 64] → output 'logits' [batch x 3], standardisation included", line, StringComparison.Ordinal);
        OnnxImportResult<double> imported = OnnxImporter.Import<double>(Onnx);
        Assert.IsType<Dense<double>>(imported.Network.Layers[^1]);

        // Weights written as DOUBLE come back exactly; rounded through FLOAT they would differ by about 1e-8.
        Matrix<double> features = TestFeatures<double>();
        Matrix<double> expected = ModelFile.Load<double>(Model).Predict(features);
        Matrix<double> actual = imported.Network.Predict(imported.Normalization!.Transform(features));
        Predictions.AssertSame(Predictions.Values(expected), Predictions.Values(actual), 1e-12);
    }

    [Fact]
    public async Task Export_then_import_gives_the_same_eval_accuracy_and_predict_probabilities()
    {
        Assert.Equal(0, (await Train("--standardize", "--out", Model)).ExitCode);
        string reimported = _directory["reimported.bpm"];

        CliRun export = await CliRun.RunAsync("export", "--model", Model, "--onnx", Onnx);
        CliRun import = await CliRun.RunAsync("import", Onnx, "--out", reimported, "--data", _directory.Path);

        Assert.True(export.ExitCode == 0 && import.ExitCode == 0, export + "\n" + import);
        Assert.Equal("probabilities", ModelFile.ReadInfo(reimported).Metadata["output"]);
        JsonElement Eval(CliRun run) => Assert.Single(run.JsonLines());
        JsonElement before = Eval(await CliRun.RunAsync("eval", "--model", Model, "--json"));
        JsonElement after = Eval(await CliRun.RunAsync("eval", "--model", reimported, "--json"));
        Assert.Equal(before.GetProperty("accuracy").GetDouble(), after.GetProperty("accuracy").GetDouble());
        Assert.Equal(before.GetProperty("confusion").GetRawText(), after.GetProperty("confusion").GetRawText());
        Assert.True(after.GetProperty("accuracy").GetDouble() > 0.9, after.GetRawText());

        // The re-imported network ends in its own softmax; a second one in predict would flatten the probabilities.
        for (int index = 0; index < 150; index += 37)
        {
            JsonElement p = Assert.Single((await CliRun.RunAsync("predict", "--model", Model, "--index", $"{index}", "--json")).JsonLines());
            JsonElement q = Assert.Single((await CliRun.RunAsync("predict", "--model", reimported, "--index", $"{index}", "--json")).JsonLines());
            Predictions.AssertSame([Probabilities(p)], [Probabilities(q)], 1e-6);
        }
    }

    [Fact]
    public async Task Exporting_an_imported_model_that_ends_in_softmax_adds_no_second_one()
    {
        OnnxFixture fixture = OnnxFixture.Load("mlp_torch_deep_double");
        Assert.Equal(0, (await CliRun.RunAsync("import", fixture.Path, "--out", Model, "--dtype", "f64")).ExitCode);

        CliRun run = await CliRun.RunAsync("export", "--model", Model, "--onnx", Onnx);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("softmax appended", Assert.Single(run.OutputLines), StringComparison.Ordinal);
        OnnxImportResult<double> imported = OnnxImporter.Import<double>(Onnx);
        Assert.IsType<Softmax<double>>(imported.Network.Layers[^1]);
        Assert.IsType<Dense<double>>(imported.Network.Layers[^2]);
        Matrix<double> outputs = imported.Network.Predict(imported.Normalization!.Transform(Predictions.Rows<double>(fixture.Inputs)));
        Predictions.AssertSame(fixture.Outputs, Predictions.Values(outputs), 1e-12);
    }

    [Fact]
    public async Task No_softmax_on_a_model_that_ends_in_softmax_is_a_user_error_and_writes_nothing()
    {
        Assert.Equal(0, (await CliRun.RunAsync("import", OnnxFixture.Load("mlp_torch_deep").Path, "--out", Model, "--image-shape", "2x3")).ExitCode);

        CliRun run = await CliRun.RunAsync("export", "--model", Model, "--onnx", Onnx, "--no-softmax");

        run.AssertUserError($"--no-softmax: the model '{Model}' already outputs probabilities (its network ends in a Softmax), so there is no softmax to leave out");
        Assert.Empty(run.Output);
        Assert.False(File.Exists(Onnx));
    }

    private Task<CliRun> Train(params string[] options) =>
        CliRun.RunAsync(["train", "--data", _directory.Path, "--layers", "16", "--batch-size", "16", "--lr", "0.01", "--epochs", "3", .. options]);

    private Matrix<T> TestFeatures<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        DataLoader.Load<T>(DataRequest.Create("idx", _directory.Path, 0), PixelScaling.UnitInterval).Test!.Features;

    private static double[] Probabilities(JsonElement prediction) =>
        [.. prediction.GetProperty("probabilities").EnumerateArray().Select(v => v.GetDouble())];
}
