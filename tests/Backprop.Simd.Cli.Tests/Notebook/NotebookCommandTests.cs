using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Backprop.Simd.Cli.Tests.Notebook;

/// <summary>
/// <c>backprop notebook</c> end to end on a few hundred of the embedded digits (the repository's data/ folder, written
/// under MNIST's file names) and a handful of epochs: the shape of the output, not the accuracies.
/// </summary>
public sealed class NotebookCommandTests : IDisposable
{
    private static readonly byte[] s_pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly string[] s_pictures = ["error-1.png", "error-2.png", "error-3.png", "error-4.png", "error-5.png", "error-6.png", "digit-1.png", "digit-31.png"];

    private readonly TemporaryDirectory _directory = new();

    public NotebookCommandTests()
    {
        string mnist = Directory.CreateDirectory(_directory["mnist"]).FullName;
        foreach ((string name, string resource) in (ReadOnlySpan<(string, string)>)[
            ("train-images-idx3-ubyte.gz", "mnist10k-images-idx3-ubyte.gz"), ("train-labels-idx1-ubyte.gz", "mnist10k-labels-idx1-ubyte.gz"),
            ("t10k-images-idx3-ubyte.gz", "mnist10k-images-idx3-ubyte.gz"), ("t10k-labels-idx1-ubyte.gz", "mnist10k-labels-idx1-ubyte.gz")])
        {
            using Stream source = typeof(Program).Assembly.GetManifestResourceStream(resource)!;
            using FileStream target = File.Create(Path.Combine(mnist, name));
            source.CopyTo(target);
        }
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Json_gives_one_object_per_experiment_with_the_published_figures_and_nothing_else()
    {
        string pictures = _directory["pictures"];

        CliRun run = await CliRun.RunAsync("notebook", "--data", _directory.Path, "--limit", "300", "--epochs-scale", "0.01", "--json", "--out", pictures);

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement[] lines = run.JsonLines();
        Assert.Equal([1, 2, 3, 4, 5, 6], lines.Select(l => l.GetProperty("experiment").GetInt32()));
        Assert.Equal([0.92, 0.95, 0.814, 0.95, 0.976, 0.984], lines.Select(l => l.GetProperty("published").GetDouble()));
        Assert.Equal([3, 3, 3, 1, 5, 5], lines.Select(l => l.GetProperty("epochs").GetInt32()));
        Assert.Equal(["raw", "standardised", "raw", "raw", "standardised", "standardised"], lines.Select(l => l.GetProperty("input").GetString()));
        Assert.Equal([250, 50, 10], lines[5].GetProperty("hidden").EnumerateArray().Select(w => w.GetInt32()));
        Assert.Equal(0.0005, lines[3].GetProperty("learning_rate").GetDouble());
        Assert.Equal(3, lines[3].GetProperty("continues").GetInt32());
        Assert.Equal(0.912, lines[0].GetProperty("published_train").GetDouble());
        foreach (JsonElement line in lines)
        {
            double test = line.GetProperty("test_accuracy").GetDouble();
            Assert.InRange(test, 0, 1);
            Assert.InRange(line.GetProperty("train_accuracy").GetDouble(), 0, 1);
            Assert.Equal(test - line.GetProperty("published").GetDouble(), line.GetProperty("difference").GetDouble(), 12);
            Assert.True(line.GetProperty("seconds").GetDouble() >= 0);
            Assert.True(line.GetProperty("final_error").GetDouble() > 0);
            double[] range = [.. line.GetProperty("test_accuracy_range_last_25").EnumerateArray().Select(a => a.GetDouble())];
            Assert.Equal(2, range.Length);
            Assert.InRange(test, range[0], range[1]);
            bool standardised = line.GetProperty("input").GetString() == "standardised";
            Assert.Equal(standardised, line.TryGetProperty("test_accuracy_fitted", out _));
        }

        // The embedded digits are not MNIST's training file: said on stderr, once per file, and the replay goes on.
        Assert.Equal(2, run.ErrorLines.Count(l => l.StartsWith("backprop: warning: '", StringComparison.Ordinal) && l.Contains("is not the original MNIST file", StringComparison.Ordinal)));
        AssertPictures(pictures);
    }

    [Fact]
    public async Task Text_prints_one_table_of_the_notebooks_accuracies_beside_ours_and_the_quirk()
    {
        string pictures = _directory["pictures"];

        CliRun run = await CliRun.RunAsync("notebook", "--data", Path.Combine(_directory.Path, "mnist"), "--limit", "300", "--epochs-scale", "0.01", "--out", pictures);

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.OutputLines;
        Assert.Contains(lines, l => l.StartsWith("│ # │ experiment", StringComparison.Ordinal) && l.Contains("│ notebook │ ours", StringComparison.Ordinal));
        string[] rows = [.. lines.Where(l => l.Length > 4 && l.StartsWith("│ ", StringComparison.Ordinal) && char.IsAsciiDigit(l[2]))];
        Assert.Equal(["1", "1", "2", "3", "4", "5", "6"], rows.Select(r => r.Split('│')[1].Trim()));
        Assert.Equal(["91.20%", "92.00%", "95.00%", "81.40%", "95.00%", "97.60%", "98.40%"], rows.Select(r => r.Split('│')[4].Trim()));
        Assert.Contains("(training)", rows[0], StringComparison.Ordinal);
        Assert.Equal(["3 of 300", "3 of 300", "3 of 300", "3 of 275", "+1 of 50", "5 of 500", "5 of 500"], rows.Select(r => r.Split('│')[3].Trim()));
        Assert.All(rows.Skip(1), r => Assert.Matches(@"^[+−]?\d+\.\d\d$", r.Split('│')[6].Trim()));
        Assert.All(rows.Skip(1), r => Assert.Matches(@"^\d+\.\d\d–\d+\.\d\d%$", r.Split('│')[7].Trim()));
        Assert.Contains("10,000 training digits shuffled with numpy's RandomState(42).permutation, the first 500 held out, 300 trained on", run.Output, StringComparison.Ordinal);
        Assert.Contains("Quick check", run.Output, StringComparison.Ordinal);
        Assert.Contains("sklearn.preprocessing.scale standardised the test digits with their own mean and deviation", run.Output, StringComparison.Ordinal);
        AssertPictures(pictures);
    }

    [Fact]
    public async Task Explain_spikes_gives_one_object_per_variant_with_its_series_and_draws_spikes_png()
    {
        string pictures = _directory["pictures"];

        CliRun run = await CliRun.RunAsync("notebook", "--explain-spikes", "--data", _directory.Path, "--limit", "300", "--epochs", "4", "--sharpness-every", "2", "--json", "--out", pictures);

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement[] lines = run.JsonLines();
        Assert.Equal(["published", "half lr", "mean", "reshuffle"], lines.Select(l => l.GetProperty("variant").GetString()));

        // 300 digits in 25 batches of 12: the mean takes lr x 12 and l2 / 12.
        AssertClose([0.001, 0.0005, 0.012, 0.001], [.. lines.Select(l => l.GetProperty("learning_rate").GetDouble())], 1e-15);
        AssertClose([0.5, 0.5, 0.5 / 12, 0.5], [.. lines.Select(l => l.GetProperty("l2").GetDouble())], 1e-15);
        Assert.Equal(["sum", "sum", "mean", "sum"], lines.Select(l => l.GetProperty("reduction").GetString()));
        Assert.Equal([false, false, false, true], lines.Select(l => l.GetProperty("reshuffle").GetBoolean()));
        foreach (JsonElement line in lines)
        {
            Assert.Equal(4, line.GetProperty("epochs").GetInt32());
            foreach (string series in (string[])["error", "gradient_norm", "largest_gradient_norm", "test_accuracy"])
            {
                double[] values = Doubles(line.GetProperty(series));
                Assert.Equal(4, values.Length);
                Assert.All(values, v => Assert.True(double.IsFinite(v) && v >= 0, $"{series}: {v}"));
            }

            JsonElement[] sharpness = [.. line.GetProperty("sharpness").EnumerateArray()];
            Assert.Equal([0, 2, 4], sharpness.Select(p => p.GetProperty("epoch").GetInt32()));
            Assert.All(sharpness, p => Assert.Equal(p.GetProperty("eigenvalue").GetDouble() * line.GetProperty("learning_rate").GetDouble() / 2, p.GetProperty("ratio").GetDouble(), 12));
            Assert.Equal(sharpness.Max(p => p.GetProperty("ratio").GetDouble()), line.GetProperty("largest_sharpness_ratio").GetDouble());
            Assert.Equal(line.GetProperty("spikes").GetInt32(), line.GetProperty("spike_epochs").GetArrayLength());
            Assert.Equal(line.GetProperty("gradient_bursts").GetInt32(), line.GetProperty("burst_epochs").GetArrayLength());
            Assert.InRange(line.GetProperty("final_test_accuracy").GetDouble(), 0, 1);
        }

        // The mean with lr x batch and l2 / batch is the published update up to rounding, its series rescaled to the published scale.
        AssertClose(Doubles(lines[0].GetProperty("error")), Doubles(lines[2].GetProperty("error")), 1e-9);
        AssertClose(Doubles(lines[0].GetProperty("gradient_norm")), Doubles(lines[2].GetProperty("gradient_norm")), 1e-9);
        Assert.Equal(lines[0].GetProperty("largest_sharpness_ratio").GetDouble(), lines[2].GetProperty("largest_sharpness_ratio").GetDouble(), 1e-3 * Math.Abs(lines[0].GetProperty("largest_sharpness_ratio").GetDouble()));
        AssertPng(Path.Combine(pictures, "spikes.png"));
        Assert.Equal(["spikes.png"], Directory.GetFiles(pictures).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Explain_spikes_prints_one_row_per_variant_and_what_the_columns_mean()
    {
        CliRun run = await CliRun.RunAsync("notebook", "--explain-spikes", "--data", _directory.Path, "--limit", "300", "--epochs", "2", "--sharpness-every", "2", "--out", _directory["pictures"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.OutputLines, l => l.StartsWith("│ variant", StringComparison.Ordinal) && l.Contains("│ spikes │ bursts │ largest lr·λ/2 │ last lr·λ/2 │ final test", StringComparison.Ordinal));
        string[] rows = [.. run.OutputLines.Where(l => l.StartsWith("│ ", StringComparison.Ordinal) && !l.StartsWith("│  ", StringComparison.Ordinal) && !l.StartsWith("│ variant", StringComparison.Ordinal))];
        Assert.Equal(["published", "half lr", "mean", "reshuffle"], rows.Select(r => r.Split('│')[1].Trim()));
        Assert.All(rows, r => Assert.Equal("2", r.Split('│')[3].Trim()));
        Assert.All(rows, r => Assert.Matches(@"^\d+$", r.Split('│')[4].Trim()));
        Assert.All(rows, r => Assert.Matches(@"^\d+$", r.Split('│')[5].Trim()));
        Assert.All(rows, r => Assert.Matches(@"^-?\d+\.\d\d$", r.Split('│')[6].Trim()));
        Assert.Contains("gradient descent on a quadratic of that curvature turns unstable above 1", run.Output, StringComparison.Ordinal);
        Assert.Equal(4, run.OutputLines.Count(l => Regex.IsMatch(l, @"^(published|half lr|mean|reshuffle): \d+ gradient bursts; lr·λ/2 at or above 1 in \d+ of 1 readings after the start\.$")));
        Assert.Single(run.OutputLines, l => l.StartsWith("The smaller step (half lr) ", StringComparison.Ordinal));
        Assert.Contains("Shortened", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Epochs_without_explain_spikes_is_a_user_error()
    {
        CliRun run = await CliRun.RunAsync("notebook", "--data", _directory.Path, "--epochs", "5", "--out", _directory["pictures"]);

        run.AssertUserError("--epochs applies to --explain-spikes only");
    }

    [Fact]
    public async Task Missing_files_are_a_user_error_that_names_the_fetch_command()
    {
        CliRun run = await CliRun.RunAsync("notebook", "--data", _directory["nothing-here"], "--out", _directory["pictures"]);

        run.AssertUserError("backprop data fetch mnist");
    }

    [Fact]
    public async Task A_limit_below_one_digit_per_minibatch_is_a_user_error()
    {
        CliRun run = await CliRun.RunAsync("notebook", "--data", _directory.Path, "--limit", "24", "--out", _directory["pictures"]);

        run.AssertUserError("--limit must be 0 (all) or at least 25");
    }

    private static void AssertPictures(string directory)
    {
        foreach (string name in s_pictures)
        {
            AssertPng(Path.Combine(directory, name));
        }

        Assert.Equal(s_pictures.Order(StringComparer.Ordinal), Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static void AssertPng(string path)
    {
        byte[] png = File.ReadAllBytes(path);
        Assert.True(png.AsSpan(0, 8).SequenceEqual(s_pngSignature), $"{path} is not a PNG");
        Assert.InRange(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), 1000, 2000);
        Assert.True(png.Length > 10_000, $"{path} has only {png.Length} bytes");
    }

    /// <summary>Each actual value within <paramref name="relative"/> of the expected one, relative to it.</summary>
    private static void AssertClose(double[] expected, double[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= relative * Math.Abs(expected[i]), $"value {i}: {actual[i]:R}, expected {expected[i]:R}");
        }
    }

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];
}
