using Backprop.Simd.Data;

namespace Backprop.Simd.Tests.Data;

/// <summary>Where the locator looks, in which order, and what it says when it finds nothing.</summary>
[Trait("Category", "Data")]
public sealed class DatasetLocatorTests : IDisposable
{
    private static readonly DatasetManifest s_manifest = new(
        "toy",
        [
            new DatasetFile("a-idx1-ubyte", 9, new string('0', 64)),
            new DatasetFile("b-idx1-ubyte", 9, new string('1', 64)),
        ]);

    private readonly string _root = DataTestFiles.CreateTemporaryDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string MakeDirectory(string name, params string[] files)
    {
        string directory = Path.Combine(_root, name);
        Directory.CreateDirectory(directory);
        foreach (string file in files)
        {
            File.WriteAllBytes(Path.Combine(directory, file), [0]);
        }

        return directory;
    }

    private DatasetLocator Locator(string? explicitDirectory = null, string? environment = null, string? system = null, string? cache = null) =>
        new(s_manifest)
        {
            ExplicitDirectory = explicitDirectory,
            EnvironmentDirectory = environment,
            SystemDirectory = system ?? Path.Combine(_root, "no-system"),
            CacheDirectory = cache ?? Path.Combine(_root, "no-cache"),
        };

    [Fact]
    public void Finds_gzip_or_plain_files_preferring_gzip()
    {
        string directory = MakeDirectory("explicit", "a-idx1-ubyte.gz", "a-idx1-ubyte", "b-idx1-ubyte");
        DatasetLocation location = Locator(explicitDirectory: directory).Locate();
        Assert.Equal(directory, location.Directory);
        Assert.Equal(Path.Combine(directory, "a-idx1-ubyte.gz"), location.GetPath("a-idx1-ubyte"));
        Assert.Equal(Path.Combine(directory, "b-idx1-ubyte"), location.GetPath("b-idx1-ubyte"));
        Assert.Throws<KeyNotFoundException>(() => location.GetPath("c"));
    }

    [Fact]
    public void Explicit_directory_may_hold_a_subfolder_named_after_the_data_set()
    {
        string directory = MakeDirectory("explicit");
        string sub = MakeDirectory(Path.Combine("explicit", "toy"), "a-idx1-ubyte.gz", "b-idx1-ubyte.gz");
        Assert.Equal(sub, Locator(explicitDirectory: directory).Locate().Directory);
    }

    [Fact]
    public void Searches_environment_then_system_then_cache()
    {
        string environment = MakeDirectory("env", "a-idx1-ubyte.gz");
        string system = MakeDirectory("system", "a-idx1-ubyte.gz", "b-idx1-ubyte.gz");
        string cache = MakeDirectory("cache", "a-idx1-ubyte.gz", "b-idx1-ubyte.gz");

        DatasetLocator locator = Locator(environment: environment, system: system, cache: cache);
        Assert.Equal([environment, Path.Combine(environment, "toy"), system, cache], locator.GetSearchDirectories());
        Assert.Equal(system, locator.Locate().Directory);

        File.WriteAllBytes(Path.Combine(environment, "b-idx1-ubyte"), [0]);
        Assert.Equal(environment, locator.Locate().Directory);

        Assert.Equal(cache, Locator(system: Path.Combine(_root, "nothing"), cache: cache).Locate().Directory);
    }

    [Fact]
    public void Explicit_directory_is_the_only_place_searched()
    {
        string cache = MakeDirectory("cache", "a-idx1-ubyte.gz", "b-idx1-ubyte.gz");
        string empty = MakeDirectory("empty");
        DatasetLocator locator = Locator(explicitDirectory: empty, cache: cache);
        Assert.Equal([empty, Path.Combine(empty, "toy")], locator.GetSearchDirectories());
        Assert.False(locator.TryLocate(out DatasetLocation? location));
        Assert.Null(location);
    }

    [Fact]
    public void Failure_lists_every_place_and_what_was_missing()
    {
        string environment = MakeDirectory("env", "b-idx1-ubyte");
        DatasetLocator locator = Locator(environment: environment);
        FileNotFoundException e = Assert.Throws<FileNotFoundException>(locator.Locate);
        Assert.Contains("The data set 'toy' was not found. Looked for a-idx1-ubyte[.gz], b-idx1-ubyte[.gz] in:", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{environment} ($BACKPROP_DATA): missing a-idx1-ubyte[.gz]", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(_root, "no-system")} (system, package dataset-toy): no such directory", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(_root, "no-cache")} (download cache): no such directory", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<FileNotFoundException>(Locator().Locate);
        Assert.Contains("$BACKPROP_DATA: not set", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fashion_mnist_manifest_and_defaults()
    {
        Assert.Equal(
            ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"],
            FashionMnist.Manifest.Files.Select(f => f.Name));
        Assert.Equal("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", FashionMnist.Manifest.GetFile(FashionMnist.TrainImages).Sha256);
        Assert.Equal(10, FashionMnist.ClassNames.Count);
        Assert.Equal("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz", new Uri(FashionMnist.DefaultBaseAddress, "train-images-idx3-ubyte.gz").AbsoluteUri);

        var locator = new DatasetLocator(FashionMnist.Manifest);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal("/usr/share/datasets/fashion-mnist", locator.SystemDirectory);
        }

        Assert.EndsWith(Path.Combine("backprop", "fashion-mnist"), locator.CacheDirectory, StringComparison.Ordinal);

        string missing = Path.Combine(_root, "missing");
        FileNotFoundException e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Locate(missing));
        Assert.Contains($"{missing} (the given directory): no such directory", e.Message, StringComparison.Ordinal);
        Assert.False(FashionMnist.TryLocate(missing, out _));
    }

    [Fact]
    public void Manifest_rejects_bad_entries()
    {
        Assert.Throws<ArgumentException>(() => new DatasetFile("a/b", 1, new string('0', 64)));
        Assert.Throws<ArgumentException>(() => new DatasetFile("a", 1, "abc"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetFile("a", -1, new string('0', 64)));
        Assert.Throws<ArgumentException>(() => new DatasetManifest("x", []));
        Assert.Throws<ArgumentException>(() => new DatasetManifest("x", [s_manifest.Files[0], s_manifest.Files[0]]));
        Assert.Throws<ArgumentException>(() => new DatasetManifest("../x", s_manifest.Files));
    }
}
