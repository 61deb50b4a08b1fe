using System.Buffers.Binary;
using System.Net;
using Backprop.Simd.Data;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Cli.Tests;

/// <summary>
/// Inputs that got through before: a model with NaN weights exported, an IDX label of 200 widened into 201 classes,
/// a declared length of 2^63 printed as negative, a password in --url echoed, a redirect to file:// left unnamed.
/// </summary>
public sealed class HostileInputCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_model_with_nan_weights_is_not_exported_as_eval_does_not_evaluate_it()
    {
        SyntheticIdx.Write(_directory.Path, trainCount: 60, testCount: 20);
        string model = _directory["model.bpm"], broken = _directory["nan.bpm"];
        Assert.Equal(0, (await CliRun.RunAsync("train", "--data", _directory.Path, "--layers", "8", "--epochs", "1", "--out", model)).ExitCode);
        SavedModel<float> saved = ModelFile.Load<float>(model);
        saved.Network.Parameters[3] = float.NaN;
        ModelFile.Save(broken, saved);

        CliRun export = await CliRun.RunAsync("export", "--model", broken, "--onnx", _directory["nan.onnx"]);
        CliRun eval = await CliRun.RunAsync("eval", "--model", broken);

        export.AssertUserError($"The model '{broken}' has a non-finite weight (NaN or infinity) in layer 0 (Dense(64 → 8)): every output would be NaN, so it is not exported.");
        eval.AssertUserError($"The model '{broken}' gives a non-finite output (NaN or infinity) for test sample 0");
        Assert.False(File.Exists(_directory["nan.onnx"]));
    }

    [Fact]
    public async Task An_idx_label_of_200_is_refused_naming_its_index_unless_classes_declares_201()
    {
        WriteIdx(labels: [0, 1, 2, 1, 0, 2, 1, 0, 2, 1, 0, 1, 2, 200, 1, 0]);

        CliRun refused = await CliRun.RunAsync("train", "--data", _directory.Path, "--epochs", "1", "--layers", "4");
        CliRun declared = await CliRun.RunAsync("train", "--data", _directory.Path, "--epochs", "1", "--layers", "4", "--classes", "201");
        CliRun tooFew = await CliRun.RunAsync("train", "--data", _directory.Path, "--epochs", "1", "--layers", "4", "--classes", "3");

        refused.AssertUserError($"labels file '{_directory["train-labels-idx1-ubyte"]}': label 200 at index 13 (byte offset 21 of the IDX content) is not below the class count 3.");
        Assert.Contains("label 3 never does", refused.Error, StringComparison.Ordinal);
        Assert.Contains("say so with --classes 201", refused.Error, StringComparison.Ordinal);
        Assert.True(declared.ExitCode == 0, declared.ToString());
        Assert.Contains("network: 4-4-201 ", declared.Output, StringComparison.Ordinal);
        tooFew.AssertUserError("label 200 at index 13");
        (await CliRun.RunAsync("train", "--classes", "12")).AssertUserError("--classes declares the classes of an idx data set; mnist10k has its own 10.");
    }

    [Fact]
    public async Task Labels_that_start_at_one_need_their_classes_declared()
    {
        WriteIdx(labels: [1, 2, 3, 1, 2, 3, 1, 2]);

        CliRun refused = await CliRun.RunAsync("train", "--data", _directory.Path, "--epochs", "1", "--layers", "4");
        CliRun declared = await CliRun.RunAsync("train", "--data", _directory.Path, "--epochs", "1", "--layers", "4", "--classes", "4");

        refused.AssertUserError("label 1 at index 0");
        Assert.Contains("label 0 never does", refused.Error, StringComparison.Ordinal);
        Assert.True(declared.ExitCode == 0, declared.ToString());
    }

    [Fact]
    public async Task A_declared_length_of_two_to_the_63_is_named_as_it_is()
    {
        SyntheticIdx.Write(_directory.Path, trainCount: 30, testCount: 10);
        string model = _directory["model.bpm"];
        Assert.Equal(0, (await CliRun.RunAsync("train", "--data", _directory.Path, "--layers", "4", "--epochs", "1", "--out", model)).ExitCode);
        byte[] bytes = await File.ReadAllBytesAsync(model);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), 1UL << 63);
        await File.WriteAllBytesAsync(model, bytes);

        CliRun run = await CliRun.RunAsync("eval", "--model", model);

        run.AssertUserError("at offset 16: the declared file length 9223372036854775808 is more than a file can hold");
        Assert.DoesNotContain("-9223372036854775808", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_in_url_is_never_printed()
    {
        using var server = new LocalHttpServer((context, _) =>
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        string url = $"http://alice:s3cret@127.0.0.1:{server.BaseAddress.Port}/mirror/";

        CliRun run = await CliRun.RunAsync("data", "fetch", "fashion-mnist", "--cache", _directory["cache"], "--url", url);
        CliRun unparsed = await CliRun.RunAsync("data", "fetch", "fashion-mnist", "--cache", _directory["cache"], "--url", "http://alice:s3cret@[bad/");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"http://***@127.0.0.1:{server.BaseAddress.Port}/mirror/train-images-idx3-ubyte.gz failed: the server answered 404", run.Error, StringComparison.Ordinal);
        Assert.Contains($"from http://***@127.0.0.1:{server.BaseAddress.Port}/mirror/", run.Output, StringComparison.Ordinal);
        unparsed.AssertUserError("--url 'http://***@[bad/' is not an absolute http or https address.");
        Assert.DoesNotContain("s3cret", run.Output + run.Error + unparsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_file_fails_naming_the_url()
    {
        using var server = new LocalHttpServer((context, _) =>
        {
            context.Response.StatusCode = (int)HttpStatusCode.Found;
            context.Response.RedirectLocation = "file:///etc/passwd";
            return Task.CompletedTask;
        });

        CliRun run = await CliRun.RunAsync("data", "fetch", "fashion-mnist", "--cache", _directory["cache"], "--url", server.BaseAddress.ToString());

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal($"backprop: error: Downloading {server.BaseAddress}train-images-idx3-ubyte.gz failed: the server answered 302 Found, redirecting to file:///etc/passwd: only http and https addresses are followed.", Assert.Single(run.ErrorLines));
        Assert.Empty(Directory.GetFileSystemEntries(_directory["cache"]));
    }

    /// <summary>A training pair of 2x2 images with the given labels, no test pair.</summary>
    private void WriteIdx(byte[] labels)
    {
        IdxWriter.Write(_directory["train-images-idx3-ubyte"], new IdxArray([labels.Length, 2, 2], Pixels(labels.Length * 4)));
        IdxWriter.Write(_directory["train-labels-idx1-ubyte"], new IdxArray([labels.Length], labels));
    }

    private static byte[] Pixels(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 37))];
}
