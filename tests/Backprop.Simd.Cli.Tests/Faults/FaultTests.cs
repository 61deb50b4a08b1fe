using Backprop.Simd.Data;
using Backprop.Simd.IO;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Backprop.Simd.Cli.Tests.Faults;

/// <summary>
/// Faults that need a bounded heap or a process of their own: a gzip bomb and endless devices as inputs, a
/// read-only directory for --resume (also as root), a closed stdout, and training killed at random moments.
/// CI runs this category under a 512 MiB GC heap limit, inherited by the child processes.
/// </summary>
[Trait("Category", "Faults")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FaultTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly ITestOutputHelper _output;

    public FaultTests(ITestOutputHelper output)
    {
        Assert.True(OperatingSystem.IsLinux(), "these faults use Linux devices and signals, as CI has");
        _output = output;
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_gzip_bomb_of_a_million_images_trains_with_limit_100_in_memory_for_100()
    {
        (byte[] images, byte[] labels) = GzipBomb.Create(count: 1_000_000, rows: 28, columns: 28);
        await File.WriteAllBytesAsync(_directory["train-images-idx3-ubyte.gz"], images);
        await File.WriteAllBytesAsync(_directory["train-labels-idx1-ubyte.gz"], labels);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        CliRun run = await CliRun.RunAsync("train", "--data", _directory.Path, "--limit", "100", "--epochs", "1", "--layers", "8");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("100 training and no test samples", run.Output, StringComparison.Ordinal);

        // Before the limits applied while reading, this run decoded all 784 MB and peaked near 8 GB.
        Assert.True(allocated < 64_000_000, $"{allocated:N0} bytes allocated");
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("LINK")]
    public async Task An_endless_device_as_image_is_read_up_to_the_cap_and_refused(string image)
    {
        string model = await TrainSmallModel();
        string link = _directory["digit.png"];
        File.CreateSymbolicLink(link, "/dev/urandom");
        string path = image == "LINK" ? link : image;

        CliRun run = await CliRun.RunAsync("predict", "--model", model, "--image", path);

        run.AssertUserError($"'{path}' has more than 268,435,456 bytes; image files up to 268,435,456 bytes are read.");
    }

    [Fact]
    public async Task Resume_in_a_read_only_directory_fails_before_training_even_as_root()
    {
        string models = Directory.CreateDirectory(_directory["models"]).FullName;
        string model = await TrainSmallModel(Path.Combine(models, "model.bpm"));
        byte[] before = await File.ReadAllBytesAsync(model);
        File.SetUnixFileMode(models, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        try
        {
            // Root writes into a read-only directory anyway; without those capabilities it cannot (CI may run as root).
            bool root = CanCreateFileIn(models);
            CliRun run = await BackpropProcess.RunAsync(["train", "--resume", model, "--epochs", "50"], root ? BackpropProcess.WithoutRootOverride : null);

            run.AssertUserError($"--resume '{model}': the directory '{models}' is not writable");
            Assert.Empty(run.Output);
            Assert.Equal(before, await File.ReadAllBytesAsync(model));
        }
        finally
        {
            File.SetUnixFileMode(models, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task A_closed_stdout_is_named_and_exits_1_as_other_io_errors()
    {
        string model = await TrainSmallModel();

        CliRun run = await BackpropProcess.RunAsync(["eval", "--model", model], BackpropProcess.WithStdoutClosed);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("backprop: error: Cannot write to standard output: it is closed (or not open for writing), so nothing can be printed.", Assert.Single(run.ErrorLines));
    }

    /// <summary>
    /// The chaos test: training that saves a checkpoint every epoch, killed (SIGKILL) at 20 moments drawn from a fixed
    /// seed. After each kill the model file is absent (no save yet), or a complete, loadable model; never half of one.
    /// The next run removes every temporary file the kills left.
    /// </summary>
    [Fact]
    public async Task Training_killed_at_random_leaves_a_loadable_model_and_the_next_run_leaves_no_temporary_file()
    {
        // One step per epoch on a 13 MB model (weights and Adam's state): most of each epoch is its save.
        SyntheticIdx.Write(_directory.Path, trainCount: 20, testCount: 0);
        string model = _directory["model.bpm"];
        string[] Train(int epochs) =>
            ["train", "--data", _directory.Path, "--layers", "1024,1024", "--batch-size", "20", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--checkpoint-every", "1", "--threads", "1", "--out", model];
        var random = new Random(20_261_207);
        bool saved = false;
        int midSave = 0;
        for (int kill = 0; kill < 20; kill++)
        {
            using (System.Diagnostics.Process process = BackpropProcess.Start(Train(10_000)))
            {
                Task drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
                await Task.Delay(random.Next(600, 2600));
                process.Kill();
                await process.WaitForExitAsync();
                await drain;
            }

            midSave += Directory.GetFiles(_directory.Path, ".model.bpm.*.tmp").Length > 0 ? 1 : 0;

            if (File.Exists(model))
            {
                SavedModel<float> loaded = ModelFile.Load<float>(model);
                Assert.NotNull(loaded.Checkpoint);
                saved = true;
            }
            else
            {
                Assert.False(saved, $"kill {kill}: the model file disappeared");
            }
        }

        // How often a kill fell into a save depends on the machine's speed; the checks above hold either way.
        _output.WriteLine($"{midSave} of 20 kills left a temporary file behind");

        // A stale temporary file that is certain to be there, besides any the kills left.
        await File.WriteAllBytesAsync(AtomicFile.TemporaryPath(model), new byte[1000]);
        CliRun last = await BackpropProcess.RunAsync(Train(2));

        Assert.True(last.ExitCode == 0, last.ToString());
        Assert.Equal(2, ModelFile.ReadInfo(model).EpochsCompleted);
        Assert.Equal(["model.bpm", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"], Directory.GetFileSystemEntries(_directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private async Task<string> TrainSmallModel(string? path = null)
    {
        string data = Directory.CreateDirectory(_directory["data"]).FullName;
        SyntheticIdx.Write(data, trainCount: 40, testCount: 10);
        path ??= _directory["model.bpm"];
        CliRun run = await CliRun.RunAsync("train", "--data", data, "--layers", "4", "--epochs", "1", "--out", path);
        Assert.True(run.ExitCode == 0, run.ToString());
        return path;
    }

    private static bool CanCreateFileIn(string directory)
    {
        try
        {
            using (File.Create(Path.Combine(directory, ".write-probe"), 1, FileOptions.DeleteOnClose))
            {
            }

            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
