using Backprop.Simd.IO;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Cli.Tests;

/// <summary>
/// Every file the tool writes (train --out, import --out, export --onnx, the demo's figures, the download cache) is
/// checked before any work: a device, FIFO, socket or directory is refused and left alone, a symbolic link is written
/// through, a name too long for its temporary file fails at once, and leftovers of killed saves go at the next save.
/// The special files live in the test's directory; real /dev nodes are only link targets, never written.
/// </summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public OutputPathTests()
    {
        Assert.True(OperatingSystem.IsLinux(), "FIFOs and the file kinds need Linux, as CI has");
        SyntheticIdx.Write(_directory.Path, trainCount: 60, testCount: 20);
    }

    public void Dispose() => _directory.Dispose();

    private Task<CliRun> Train(string output, params string[] more) =>
        CliRun.RunAsync(["train", "--data", _directory.Path, "--layers", "8", "--epochs", "1", "--out", output, .. more]);

    [Fact]
    public async Task Export_onto_a_link_to_a_device_or_onto_a_fifo_is_refused_and_replaces_nothing()
    {
        string model = _directory["model.bpm"];
        Assert.Equal(0, (await Train(model)).ExitCode);
        File.CreateSymbolicLink(_directory["full.onnx"], "/dev/full");
        SpecialFiles.MakeFifo(_directory["fifo.onnx"]);

        (await CliRun.RunAsync("export", "--model", model, "--onnx", _directory["full.onnx"]))
            .AssertUserError($"--onnx: '{_directory["full.onnx"]}' (a link to '/dev/full') is a character device, not a regular file");
        (await CliRun.RunAsync("export", "--model", model, "--onnx", _directory["fifo.onnx"]))
            .AssertUserError($"--onnx: '{_directory["fifo.onnx"]}' is a FIFO (named pipe), not a regular file");

        Assert.Equal("/dev/full", new FileInfo(_directory["full.onnx"]).LinkTarget);
        Assert.Equal(FileKind.CharacterDevice, FileSystemFacts.GetKind("/dev/full"));
        Assert.Equal(FileKind.Pipe, FileSystemFacts.GetKind(_directory["fifo.onnx"]));
    }

    [Fact]
    public async Task Train_and_import_onto_a_fifo_or_a_link_to_a_device_fail_before_any_work()
    {
        SpecialFiles.MakeFifo(_directory["fifo.bpm"]);
        File.CreateSymbolicLink(_directory["null.bpm"], "/dev/null");

        CliRun train = await Train(_directory["fifo.bpm"]);
        train.AssertUserError($"--out: '{_directory["fifo.bpm"]}' is a FIFO (named pipe), not a regular file");
        Assert.Empty(train.Output);

        string model = _directory["model.bpm"];
        Assert.Equal(0, (await Train(model)).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync("export", "--model", model, "--onnx", _directory["model.onnx"])).ExitCode);
        (await CliRun.RunAsync("import", _directory["model.onnx"], "--out", _directory["null.bpm"], "--data", _directory.Path))
            .AssertUserError($"--out: '{_directory["null.bpm"]}' (a link to '/dev/null') is a character device, not a regular file");

        Assert.Equal(FileKind.Pipe, FileSystemFacts.GetKind(_directory["fifo.bpm"]));
        Assert.Equal("/dev/null", new FileInfo(_directory["null.bpm"]).LinkTarget);
    }

    [Fact]
    public async Task A_link_to_a_model_file_is_written_through()
    {
        Directory.CreateDirectory(_directory["models"]);
        File.CreateSymbolicLink(_directory["current.bpm"], Path.Combine("models", "v3.bpm"));

        CliRun train = await Train(_directory["current.bpm"]);
        CliRun resumed = await CliRun.RunAsync("train", "--resume", _directory["current.bpm"], "--epochs", "1");

        Assert.True(train.ExitCode == 0 && resumed.ExitCode == 0, $"{train}\n{resumed}");
        Assert.Equal(Path.Combine("models", "v3.bpm"), new FileInfo(_directory["current.bpm"]).LinkTarget);
        Assert.Equal(2, ModelFile.ReadInfo(_directory["models/v3.bpm"]).EpochsCompleted);
        Assert.Equal(["v3.bpm"], Directory.GetFileSystemEntries(_directory["models"]).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_name_with_room_for_its_temporary_name_trains_and_a_longer_one_fails_before_training()
    {
        // 225 characters and ".bpm": the issue's name, now saved; 240 leaves the temporary name over 255 bytes.
        int longest = FileSystemFacts.GetNameMax(_directory.Path) - AtomicFile.NameOverhead;
        string fits = _directory[new string('m', 225) + ".bpm"];
        string tooLong = _directory[new string('m', longest - 3) + ".bpm"];

        CliRun saved = await Train(fits);
        CliRun refused = await Train(tooLong);

        Assert.True(saved.ExitCode == 0, saved.ToString());
        Assert.Equal(1, ModelFile.ReadInfo(fits).EpochsCompleted);
        refused.AssertUserError($"use a name of at most {longest} bytes.");
        Assert.Empty(refused.Output);
    }

    [Fact]
    public async Task A_save_removes_what_killed_saves_to_the_same_file_left_and_nothing_else()
    {
        string model = _directory["model.bpm"];
        string leftover = AtomicFile.TemporaryPath(model);
        string otherTarget = AtomicFile.TemporaryPath(_directory["other.bpm"]);
        await File.WriteAllBytesAsync(leftover, new byte[14_000]);
        await File.WriteAllBytesAsync(otherTarget, new byte[10]);

        Assert.Equal(0, (await Train(model)).ExitCode);

        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(otherTarget));
    }

    [Fact]
    public async Task A_fifo_where_a_figure_or_a_download_goes_is_refused_not_opened()
    {
        Directory.CreateDirectory(_directory["figures"]);
        SpecialFiles.MakeFifo(_directory["figures/error.png"]);
        Directory.CreateDirectory(_directory["cache"]);
        SpecialFiles.MakeFifo(_directory["cache/train-images-idx3-ubyte.gz"]);

        CliRun demo = await CliRun.RunAsync("demo", "--quick", "--out", _directory["figures"]);
        demo.AssertUserError("error.png' is a FIFO (named pipe), not a regular file");

        // Verifying a cached file opens it: a FIFO would block that read for ever. The URL is never reached.
        CliRun fetch = await CliRun.RunAsync("data", "fetch", "fashion-mnist", "--cache", _directory["cache"], "--url", "http://127.0.0.1:9/").WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(ExitCodes.Failure, fetch.ExitCode);
        Assert.Contains("train-images-idx3-ubyte.gz' is not a regular file (Pipe)", fetch.Error, StringComparison.Ordinal);
        Assert.Equal(FileKind.Pipe, FileSystemFacts.GetKind(_directory["figures/error.png"]));
    }
}
