using System.Net;
using System.Security.Cryptography;
using Backprop.Simd.Data;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Data;

/// <summary>
/// Several mirrors for one data set (<see cref="DatasetFetcher.FetchAsync(DatasetManifest, IReadOnlyList{Uri}, string?, IProgress{DownloadProgress}?, CancellationToken)"/>)
/// and the find-or-download entry point, against fake servers and a local HTTP server, with synthetic files; no network.
/// </summary>
[Trait("Category", "Data")]
public sealed class DatasetMirrorTests : IDisposable
{
    private static readonly Uri s_first = new("http://first.example/mnist/");
    private static readonly Uri s_second = new("https://second.example/exdb/mnist/");

    private readonly string _directory = DataTestFiles.CreateTemporaryDirectory();
    private readonly byte[] _images = DataTestFiles.Encode([30, 28, 28], DataTestFiles.RandomBytes(30 * 28 * 28, 31));
    private readonly byte[] _labels = DataTestFiles.Encode([30], [.. DataTestFiles.RandomBytes(30, 32).Select(b => (byte)(b % 10))]);
    private readonly DatasetManifest _manifest;

    public DatasetMirrorTests()
    {
        _manifest = new DatasetManifest(
            "synthetic",
            [
                new DatasetFile("s-images-idx3-ubyte", _images.Length, Convert.ToHexString(SHA256.HashData(_images))),
                new DatasetFile("s-labels-idx1-ubyte", _labels.Length, Convert.ToHexString(SHA256.HashData(_labels))),
            ]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_failing_mirror_hands_the_files_still_missing_to_the_next()
    {
        var server = new MirrorServer();
        server.Serve(s_first, "s-images-idx3-ubyte.gz", DataTestFiles.Gzip(_images));
        Serve(server, s_second);
        using var fetcher = new DatasetFetcher(server);

        DatasetLocation location = await fetcher.FetchAsync(_manifest, [s_first, s_second], _directory);

        // The first mirror's images are kept; only the labels, which it does not have, come from the second.
        Assert.Equal([s_first + "s-images-idx3-ubyte.gz", s_first + "s-labels-idx1-ubyte.gz", s_second + "s-labels-idx1-ubyte.gz"], server.Requests);
        DatasetVerifier.Verify(location.GetPath("s-images-idx3-ubyte"), _manifest.Files[0]);
        DatasetVerifier.Verify(location.GetPath("s-labels-idx1-ubyte"), _manifest.Files[1]);
    }

    [Fact]
    public async Task A_corrupt_file_from_the_first_mirror_is_refused_and_the_next_mirrors_copy_taken()
    {
        var server = new MirrorServer();
        byte[] corrupt = (byte[])_labels.Clone();
        corrupt[^1] ^= 1;
        server.Serve(s_first, "s-images-idx3-ubyte.gz", DataTestFiles.Gzip(_images));
        server.Serve(s_first, "s-labels-idx1-ubyte.gz", DataTestFiles.Gzip(corrupt));
        Serve(server, s_second);
        using var fetcher = new DatasetFetcher(server);

        DatasetLocation location = await fetcher.FetchAsync(_manifest, [s_first, s_second], _directory);

        DatasetVerifier.Verify(location.GetPath("s-labels-idx1-ubyte"), _manifest.Files[1]);
        Assert.Equal(["s-images-idx3-ubyte.gz", "s-labels-idx1-ubyte.gz"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task When_every_mirror_fails_the_error_names_each_and_nothing_is_left()
    {
        var server = new MirrorServer();
        server.Serve(s_second, "s-images-idx3-ubyte.gz", DataTestFiles.Gzip([1, 2, 3]));
        using var fetcher = new DatasetFetcher(server);

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(_manifest, [s_first, s_second], _directory));

        Assert.StartsWith("Downloading synthetic failed from every mirror:\n  ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"Downloading {s_first}s-images-idx3-ubyte.gz failed: the server answered 404", e.Message, StringComparison.Ordinal);
        Assert.Contains($"Downloaded {s_second}s-images-idx3-ubyte.gz, but the decompressed content is 3 bytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, Assert.IsType<AggregateException>(e.InnerException).InnerExceptions.Count);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public async Task When_every_mirror_sends_a_wrong_file_the_error_is_invalid_data()
    {
        var server = new MirrorServer();
        server.Serve(s_first, "s-images-idx3-ubyte.gz", DataTestFiles.Gzip([1, 2, 3]));
        server.Serve(s_second, "s-images-idx3-ubyte.gz", DataTestFiles.Gzip([4, 5]));
        using var fetcher = new DatasetFetcher(server);

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.FetchAsync(_manifest, [s_first, s_second], _directory));

        Assert.Contains(s_first + "s-images-idx3-ubyte.gz", e.Message, StringComparison.Ordinal);
        Assert.Contains(s_second + "s-images-idx3-ubyte.gz", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public async Task One_mirror_fails_with_its_own_exception_and_no_mirror_is_refused()
    {
        using var fetcher = new DatasetFetcher(new MirrorServer());

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(_manifest, [s_first], _directory));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Null(e.InnerException);
        await Assert.ThrowsAsync<ArgumentException>(() => fetcher.FetchAsync(_manifest, Array.Empty<Uri>(), _directory));
    }

    [Fact]
    public async Task A_cancelled_download_is_not_retried_on_the_next_mirror()
    {
        var server = new MirrorServer();
        Serve(server, s_first);
        Serve(server, s_second);
        using var cancellation = new CancellationTokenSource();
        var progress = new CallbackProgress(p =>
        {
            if (p.BytesReceived > 0)
            {
                cancellation.Cancel();
            }
        });
        using var fetcher = new DatasetFetcher(server);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetcher.FetchAsync(_manifest, [s_first, s_second], _directory, progress, cancellation.Token));

        Assert.Equal([s_first + "s-images-idx3-ubyte.gz"], server.Requests);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    /// <summary>Over real sockets: the first mirror refuses the connection (nothing listens on its port), the second is a <see cref="LocalHttpServer"/>.</summary>
    [Fact]
    public async Task A_refused_connection_moves_on_to_a_local_http_server()
    {
        int closedPort = LocalHttpServer.FreePort();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["/m/s-images-idx3-ubyte.gz"] = DataTestFiles.Gzip(_images),
            ["/m/s-labels-idx1-ubyte.gz"] = DataTestFiles.Gzip(_labels),
        };
        using var server = new LocalHttpServer(async (context, token) =>
        {
            if (files.TryGetValue(context.Request.Url!.AbsolutePath, out byte[]? body))
            {
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body, token);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var fetcher = new DatasetFetcher();

        DatasetLocation location = await fetcher.FetchAsync(
            _manifest,
            [new Uri($"http://127.0.0.1:{closedPort}/m/"), new Uri(server.BaseAddress, "m/")],
            _directory,
            cancellationToken: cancellation.Token);

        DatasetVerifier.Verify(location.GetPath("s-images-idx3-ubyte"), _manifest.Files[0]);
        DatasetVerifier.Verify(location.GetPath("s-labels-idx1-ubyte"), _manifest.Files[1]);
    }

    [Fact]
    public async Task Locate_or_fetch_takes_valid_files_where_they_are_without_a_request()
    {
        File.WriteAllBytes(Path.Combine(_directory, "s-images-idx3-ubyte.gz"), DataTestFiles.Gzip(_images));
        File.WriteAllBytes(Path.Combine(_directory, "s-labels-idx1-ubyte"), _labels);
        var server = new MirrorServer();
        using var fetcher = new DatasetFetcher(server);

        DatasetLocation location = await fetcher.LocateOrFetchAsync(_manifest, [s_first], _directory);

        Assert.Equal(Path.Combine(_directory, "s-labels-idx1-ubyte"), location.GetPath("s-labels-idx1-ubyte"));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Locate_or_fetch_refuses_a_wrong_file_in_the_users_directory_and_leaves_it_alone()
    {
        string labels = Path.Combine(_directory, "s-labels-idx1-ubyte");
        File.WriteAllBytes(Path.Combine(_directory, "s-images-idx3-ubyte"), _images);
        File.WriteAllBytes(labels, [1, 2, 3, 4]);
        var server = new MirrorServer();
        Serve(server, s_first);
        using var fetcher = new DatasetFetcher(server);

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.LocateOrFetchAsync(_manifest, [s_first], _directory));

        Assert.StartsWith($"'{labels}' is not synthetic's s-labels-idx1-ubyte: the content is 4 bytes; s-labels-idx1-ubyte has {_labels.Length}", e.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3, 4], File.ReadAllBytes(labels));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Locate_or_fetch_downloads_missing_files_into_the_given_directory()
    {
        string target = Path.Combine(_directory, "new");
        var server = new MirrorServer();
        Serve(server, s_second);
        using var fetcher = new DatasetFetcher(server);

        DatasetLocation location = await fetcher.LocateOrFetchAsync(_manifest, [s_first, s_second], target);

        Assert.Equal(target, location.Directory);
        Assert.Equal([s_first + "s-images-idx3-ubyte.gz", s_second + "s-images-idx3-ubyte.gz", s_second + "s-labels-idx1-ubyte.gz"], server.Requests);
        Dataset<float> data = Dataset<float>.LoadIdx(location.GetPath("s-images-idx3-ubyte"), location.GetPath("s-labels-idx1-ubyte"), 10);
        Assert.Equal(30, data.Count);
    }

    [Fact]
    public async Task Mnist_load_refuses_other_files_under_mnists_names_without_downloading()
    {
        // Fashion-MNIST has the very same file names: only the hashes tell them apart.
        foreach (DatasetFile file in Mnist.Manifest.Files)
        {
            File.WriteAllBytes(Path.Combine(_directory, file.CompressedName), DataTestFiles.Gzip(file.Name.Contains("images", StringComparison.Ordinal) ? _images : _labels));
        }

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => Mnist.LoadAsync<float>(_directory));

        Assert.Contains($"{Path.Combine(_directory, "train-images-idx3-ubyte.gz")}' is not mnist's train-images-idx3-ubyte", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mnists_manifest_has_the_lengths_its_idx_headers_imply_and_tries_the_pytorch_mirror_first()
    {
        Assert.Equal(IdxFormat.HeaderLength(3) + (60_000L * 28 * 28), Mnist.Manifest.GetFile(Mnist.TrainImages).Length);
        Assert.Equal(IdxFormat.HeaderLength(1) + 60_000L, Mnist.Manifest.GetFile(Mnist.TrainLabels).Length);
        Assert.Equal(IdxFormat.HeaderLength(3) + (10_000L * 28 * 28), Mnist.Manifest.GetFile(Mnist.TestImages).Length);
        Assert.Equal(IdxFormat.HeaderLength(1) + 10_000L, Mnist.Manifest.GetFile(Mnist.TestLabels).Length);
        Assert.Equal(["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"], Mnist.Mirrors.Select(m => m.AbsoluteUri));
        Assert.Empty(Mnist.Manifest.Files.Select(f => f.Sha256).Intersect(FashionMnist.Manifest.Files.Select(f => f.Sha256)));
    }

    private void Serve(MirrorServer server, Uri mirror)
    {
        server.Serve(mirror, "s-images-idx3-ubyte.gz", DataTestFiles.Gzip(_images));
        server.Serve(mirror, "s-labels-idx1-ubyte.gz", DataTestFiles.Gzip(_labels));
    }

    /// <summary>Serves byte arrays by full URL (so one handler plays several hosts), 404 otherwise; records every URL asked for.</summary>
    private sealed class MirrorServer : HttpMessageHandler
    {
        private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

        public List<string> Requests { get; } = [];

        public void Serve(Uri mirror, string name, byte[] body) => _files[new Uri(mirror, name).AbsoluteUri] = body;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string url = request.RequestUri!.AbsoluteUri;
            Requests.Add(url);
            return Task.FromResult(_files.TryGetValue(url, out byte[]? body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }

    private sealed class CallbackProgress(Action<DownloadProgress> onReport) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => onReport(value);
    }
}
