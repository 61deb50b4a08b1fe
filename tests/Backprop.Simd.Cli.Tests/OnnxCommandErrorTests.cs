using Backprop.Simd.Data;
using Backprop.Simd.Networks;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Cli.Tests;

/// <summary>Mistakes with export and import: exit code 2, one line naming what is wrong, and no file written.</summary>
public sealed class OnnxCommandErrorTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public OnnxCommandErrorTests()
    {
        // A copy, so that a command that wrongly wrote to its input could not change the committed fixture.
        Torch = _directory["torch.onnx"];
        File.Copy(OnnxFixture.Load("mlp_torch").Path, Torch);
        byte[] bytes = File.ReadAllBytes(Torch);
        File.WriteAllBytes(_directory["truncated.onnx"], bytes[..100]);

        // Every "Relu" (the op type, the node's and its output's names) becomes "Selu": still a valid ONNX model,
        // with an operator the importer does not support.
        for (int i = 0; i + 4 <= bytes.Length; i++)
        {
            if (bytes.AsSpan(i, 4).SequenceEqual("Relu"u8))
            {
                bytes[i] = (byte)'S';
            }
        }

        File.WriteAllBytes(_directory["selu.onnx"], bytes);

        // Data sets the torch model (2x2 inputs, 3 classes) does not fit: 8x8 images, and 2x2 images of 5 classes.
        SyntheticIdx.Write(Directory.CreateDirectory(_directory["pixels64"]).FullName, trainCount: 20, testCount: 10);
        string classes5 = Directory.CreateDirectory(_directory["classes5"]).FullName;
        IdxWriter.Write(Path.Combine(classes5, "train-images-idx3-ubyte"), new IdxArray([5, 2, 2], new byte[20]));
        IdxWriter.Write(Path.Combine(classes5, "train-labels-idx1-ubyte"), new IdxArray([5], [0, 1, 2, 3, 4]));
    }

    private string Torch { get; }

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string[], string> ImportMistakes() => new()
    {
        { ["import", "DIR/missing.onnx", "--out", "DIR/out.bpm"], "The ONNX file 'DIR/missing.onnx' does not exist." },
        { ["import", "DIR/", "--out", "DIR/out.bpm"], "The ONNX file 'DIR/' is a directory, not a file." },
        { ["import", "DIR/truncated.onnx", "--out", "DIR/out.bpm"], "DIR/truncated.onnx: field 7 (graph) of ModelProto at offset 20" },
        { ["import", "DIR/selu.onnx", "--out", "DIR/out.bpm"], "(Selu): operator 'Selu' is not supported; supported are Gemm, MatMul," },
        { ["import", "DROPOUT", "--out", "DIR/out.bpm"], "node '/1/Dropout' (Dropout): Dropout in training mode is not supported; call model.eval() before torch.onnx.export" },
        { ["import", "TORCH"], "Option '--out' is required." },
        { ["import", "TORCH", "--out", "DIR/no/out.bpm"], "The directory of --out 'DIR/no/out.bpm' does not exist." },
        { ["import", "TORCH", "--out", "TORCH"], "is the file being read; name another file." },
        { ["import", "TORCH", "--out", "DIR/out.bpm", "--image-shape", "3x3"], "--image-shape 3x3 has 9 pixels but the model takes 4 features." },
        { ["import", "TORCH", "--out", "DIR/out.bpm", "--image-shape", "2by2"], "--image-shape '2by2' is not ROWSxCOLUMNS of positive integers" },
        { ["import", "TORCH", "--out", "DIR/out.bpm", "--classes", "10"], "--classes 10: the model has 3 outputs, one per class." },
        { ["import", "TORCH", "--out", "DIR/out.bpm", "--classes", "cat,dog"], "--classes 'cat,dog' names 2 classes but the model has 3 outputs" },
        { ["import", "TORCH", "--out", "DIR/out.bpm", "--classes", "cat,,dog"], "--classes 'cat,,dog' has an empty name" },
        { ["import", "TORCH", "--out", "DIR/out.bpm", "--dtype", "f16"], "f16" },
        { ["import", "TORCH", "--out", "DIR/out.bpm", "--data", "DIR/pixels64"], "The model 'DIR/torch.onnx' takes 4 features per sample but the data has 64: IDX files in DIR/pixels64 is not the data it was made for; name that with --dataset or --data, or leave them out." },
        { ["import", "TORCH", "--out", "DIR/out.bpm", "--data", "DIR/classes5"], "The model 'DIR/torch.onnx' knows 3 classes but the data has labels up to 4: IDX files in DIR/classes5 is not the data it was made for" },
        { ["import", "TORCH", "--out", "DIR/out.bpm", "--dataset", "mnist10k"], "The model 'DIR/torch.onnx' takes 4 features per sample but the data has 784: mnist10k (embedded" },
        { ["import", "TORCH", "--out", "DIR/out.bpm", "--data", "DIR/missing"], "The data directory 'DIR/missing' does not exist." },
    };

    [Theory]
    [MemberData(nameof(ImportMistakes))]
    public async Task Import_mistakes_are_user_errors_and_write_nothing(string[] args, string expected)
    {
        CliRun run = await CliRun.RunAsync(Expand(args));

        run.AssertUserError(Expand([expected])[0]);
        Assert.Empty(run.Output);
        Assert.False(File.Exists(_directory["out.bpm"]));
    }

    public static TheoryData<string[], string> ExportMistakes() => new()
    {
        { ["export", "--model", "DIR/missing.bpm", "--onnx", "DIR/out.onnx"], "The model file 'DIR/missing.bpm' does not exist." },
        { ["export", "--model", "DIR/model.bpm"], "Option '--onnx' is required." },
        { ["export", "--model", "DIR/model.bpm", "--onnx", "DIR/out.onnx", "--opset", "12"], "--opset must be at least 13, not 12." },
        { ["export", "--model", "DIR/model.bpm", "--onnx", "DIR/out.onnx", "--opset", "24"], "--opset must be at most 23, not 24." },
        { ["export", "--model", "DIR/model.bpm", "--onnx", "DIR/no/out.onnx"], "The directory of --onnx 'DIR/no/out.onnx' does not exist." },
        { ["export", "--model", "DIR/model.bpm", "--onnx", "DIR/model.bpm"], "--onnx 'DIR/model.bpm' is the file being read; name another file." },
        { ["export", "--model", "DIR/misnamed.bpm", "--onnx", "DIR/out.onnx"], "The model file 'DIR/misnamed.bpm' holds no classifier backprop can use: The model's metadata names 2 classes but its network has 3 outputs." },
    };

    [Theory]
    [MemberData(nameof(ExportMistakes))]
    public async Task Export_mistakes_are_user_errors_and_write_nothing(string[] args, string expected)
    {
        Assert.Equal(0, (await CliRun.RunAsync("import", Torch, "--out", _directory["model.bpm"])).ExitCode);
        var misnamed = new SavedModel<float>(Network<float>.Create(4).Dense(3).Build());
        misnamed.Metadata["classes"] = "cat\ndog";
        ModelFile.Save(_directory["misnamed.bpm"], misnamed);
        byte[] model = File.ReadAllBytes(_directory["model.bpm"]);

        CliRun run = await CliRun.RunAsync(Expand(args));

        run.AssertUserError(Expand([expected])[0]);
        Assert.Empty(run.Output);
        Assert.False(File.Exists(_directory["out.onnx"]));
        Assert.Equal(model, File.ReadAllBytes(_directory["model.bpm"]));
    }

    /// <summary>Puts the temporary directory and the torch fixture into the arguments and messages.</summary>
    private string[] Expand(string[] args) =>
        [.. args.Select(a => a switch
        {
            "TORCH" => Torch,
            "DROPOUT" => OnnxFixture.Load("mlp_torch_dropout_training").Path,
            _ => a.Replace("DIR/", _directory.Path + "/", StringComparison.Ordinal),
        })];
}
