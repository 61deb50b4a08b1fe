using Backprop.Simd.Data;

namespace Backprop.Simd.Cli.Tests;

/// <summary>Every user error ends in exit code 2 and one line on stderr that says what is wrong, never a stack trace.</summary>
public sealed class UserErrorTests
{
    public static TheoryData<string[], string> BadArguments() => new()
    {
        { ["train", "--nope"], "Unrecognized command or argument '--nope'" },
        { ["nonsense"], "Unrecognized command or argument 'nonsense'" },
        { ["train", "--epochs", "0"], "--epochs must be at least 1, not 0." },
        { ["train", "--lr", "fast"], "fast" },
        { ["train", "--lr", "0"], "--lr must be a finite number in (0, ∞), not 0." },
        { ["train", "--activation", "swish"], "swish" },
        { ["train", "--init", "xavier"], "Argument 'xavier' not recognized. Must be one of:" },
        { ["train", "--resume", "model.bpm", "--init", "he"], "--init cannot change on --resume" },
        { ["train", "--layers", "256,-1"], "--layers '256,-1': '-1' is not a positive integer" },
        { ["train", "--schedule", "step:x"], "--schedule 'step:x' is not one of" },
        { ["train", "--dataset", "idx"], "--dataset idx needs --data DIR" },
        { ["train", "--dataset", "mnist10k", "--data", "."], "mnist10k is embedded" },
        { ["train", "--early-stopping", "2"], "--early-stopping needs a validation set" },
        { ["train", "--shards", "0"], "--shards must be at least 1, not 0." },
        { ["train", "--shards", "5000"], "--shards must be at most 1024, not 5000." },
        { ["train", "--data", "/nonexistent/backprop-data"], "The data directory '/nonexistent/backprop-data' does not exist." },
        { ["train", "--dataset", "fashion-mnist", "--data", "/nonexistent/backprop-data"], "The data set 'fashion-mnist' was not found." },
        { ["demo", "--threads", "-1"], "--threads must be at least 0, not -1." },
        { ["gradcheck", "--batch", "0"], "--batch must be at least 1, not 0." },
        { ["bench", "--sizes", "0"], "--sizes '0': '0' is not a positive integer" },
        { ["bench", "--sizes", "100000"], "--sizes 100000: bench measures GEMM sizes up to 4096" },
        { ["bench", "--samples", "200000"], "--samples 200000: bench trains on up to 100,000 samples" },
        { ["gradcheck", "--inputs", "1000", "--layers", "100"], "100,403 parameters and a batch of 4 is more than the 20,000 parameters" },
        { ["data", "fetch", "cifar10"], "Argument 'cifar10' not recognized. Must be one of: 'mnist'; 'fashion-mnist'" },
        { ["data", "fetch", "fashion-mnist", "--url", "ftp://example.org/"], "--url 'ftp://example.org/' is not an absolute http or https address." },
        { ["train", "--seed", "-1"], "Cannot parse argument '-1' for option '--seed' as a whole number from 0 to 18446744073709551615." },
        { ["predict", "--model", "m.bpm", "--index", "abc"], "Cannot parse argument 'abc' for option '--index' as a whole number from -2147483648 to 2147483647." },
        { ["train", "--out", ""], "--out needs a file name; it is empty." },
        { ["train", "--resume", "/nonexistent/model.bpm"], "--resume: the model file '/nonexistent/model.bpm' does not exist." },
        { ["train", "--resume", "/"], "--resume: the model file '/' is a directory, not a file." },
        { ["demo", "--out", " "], "--out needs a directory; it is empty." },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Bad_arguments_exit_with_2_and_one_line(string[] args, string expected)
    {
        CliRun run = await CliRun.RunAsync(args);

        run.AssertUserError(expected);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_directory_without_training_labels_is_a_missing_file()
    {
        using var directory = new TemporaryDirectory();
        SyntheticIdx.Write(directory.Path, trainCount: 20, testCount: 0);
        File.Delete(directory["train-labels-idx1-ubyte.gz"]);

        CliRun run = await CliRun.RunAsync("train", "--data", directory.Path);

        run.AssertUserError("No train-labels* file in");
    }

    [Fact]
    public async Task A_corrupt_image_file_is_malformed_data_named_with_its_path()
    {
        using var directory = new TemporaryDirectory();
        SyntheticIdx.Write(directory.Path, trainCount: 20, testCount: 0);
        string images = directory["train-images-idx3-ubyte.gz"];
        File.WriteAllBytes(images, [0, 0, 8, 3, 0, 0, 0, 20, 0, 0, 0, 8]);

        CliRun run = await CliRun.RunAsync("train", "--data", directory.Path);

        run.AssertUserError(images);
    }

    [Fact]
    public async Task Images_without_pixels_are_malformed_data_named_with_the_file()
    {
        using var directory = new TemporaryDirectory();
        SyntheticIdx.Write(directory.Path, trainCount: 20, testCount: 0);
        string images = directory["train-images-idx3-ubyte.gz"];
        IdxWriter.Write(images, new IdxArray([20, 0, 8], []), IdxCompression.Gzip);

        CliRun run = await CliRun.RunAsync("train", "--data", directory.Path);

        run.AssertUserError($"'{images}' declares images of 0x8 pixels (its header's dimensions at offsets 8 and 12): they have no pixels.");
    }

    [Fact]
    public async Task A_training_set_without_samples_is_named_as_such()
    {
        using var directory = new TemporaryDirectory();
        IdxWriter.Write(directory["train-images-idx3-ubyte.gz"], new IdxArray([0, 8, 8], []), IdxCompression.Gzip);
        IdxWriter.Write(directory["train-labels-idx1-ubyte.gz"], new IdxArray([0], []), IdxCompression.Gzip);

        CliRun run = await CliRun.RunAsync("train", "--data", directory.Path);

        run.AssertUserError("The training set of IDX files in");
        Assert.Contains("has no samples.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_paths_that_cannot_be_written_fail_before_any_work_naming_the_option()
    {
        using var directory = new TemporaryDirectory();
        string file = directory["afile"];
        await File.WriteAllTextAsync(file, "mine");
        Directory.CreateDirectory(directory["figures/error.png"]);

        (await CliRun.RunAsync("train", "--data", file)).AssertUserError($"The data directory '{file}' is a file; --data names a directory of IDX files.");
        (await CliRun.RunAsync("demo", "--quick", "--out", file)).AssertUserError($"--out '{file}' is a file; it must name a directory.");
        (await CliRun.RunAsync("data", "fetch", "fashion-mnist", "--cache", file)).AssertUserError($"--cache '{file}' is a file; it must name a directory.");
        CliRun demo = await CliRun.RunAsync("demo", "--quick", "--out", directory["figures"]);
        demo.AssertUserError("holds a directory named 'error.png', where a file of that name is to be written.");
        Assert.Equal(["error.png"], Directory.GetFileSystemEntries(directory["figures"]).Select(Path.GetFileName));
        Assert.Equal("mine", await File.ReadAllTextAsync(file));

        // /proc takes no new files, even from root (a chmod'ed directory would not stop root, who runs CI).
        Assert.True(OperatingSystem.IsLinux(), "this test and CI run on Linux");
        CliRun train = await CliRun.RunAsync("train", "--limit", "50", "--epochs", "1", "--out", "/proc/model.bpm");
        train.AssertUserError("--out '/proc/model.bpm': the directory '/proc' is not writable");
        Assert.Empty(train.Output);
    }

    [Fact]
    public async Task Images_and_labels_of_different_counts_are_malformed_data()
    {
        using var directory = new TemporaryDirectory();
        SyntheticIdx.Write(directory.Path, trainCount: 20, testCount: 0);
        using (var other = new TemporaryDirectory())
        {
            SyntheticIdx.Write(other.Path, trainCount: 21, testCount: 0);
            File.Copy(other["train-labels-idx1-ubyte.gz"], directory["train-labels-idx1-ubyte.gz"], overwrite: true);
        }

        CliRun run = await CliRun.RunAsync("train", "--data", directory.Path);

        run.AssertUserError("holds 20 images but");
    }
}
