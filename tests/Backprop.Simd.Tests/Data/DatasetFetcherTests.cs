using System.Net;
using System.Security.Cryptography;
using Backprop.Simd.Data;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Data;

/// <summary>The fetcher against a fake HTTP handler and a local HTTP server, serving synthetic gzip IDX files; no network.</summary>
[Trait("Category", "Data")]
public sealed class DatasetFetcherTests : IDisposable
{
    private static readonly Uri s_base = new("http://data.example/sets/synthetic/");

    private readonly string _directory = DataTestFiles.CreateTemporaryDirectory();
    private readonly byte[] _imagesContent = DataTestFiles.Encode([100, 28, 28], DataTestFiles.RandomBytes(100 * 28 * 28, 21));
    private readonly byte[] _labelsContent = DataTestFiles.Encode([100], DataTestFiles.RandomBytes(100, 22).Select(b => (byte)(b % 10)).ToArray());

    public DatasetFetcherTests()
    {
        Manifest = new DatasetManifest(
            "synthetic",
            [
                new DatasetFile("s-images-idx3-ubyte", _imagesContent.Length, Convert.ToHexString(SHA256.HashData(_imagesContent))),
                new DatasetFile("s-labels-idx1-ubyte", _labelsContent.Length, Convert.ToHexStringLower(SHA256.HashData(_labelsContent))),
            ]);
    }

    private DatasetManifest Manifest { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private FakeServer GoodServer() => new()
    {
        ["/sets/synthetic/s-images-idx3-ubyte.gz"] = DataTestFiles.Gzip(_imagesContent),
        ["/sets/synthetic/s-labels-idx1-ubyte.gz"] = DataTestFiles.Gzip(_labelsContent),
    };

    [Fact]
    public async Task Downloads_verifies_and_reuses_the_files()
    {
        FakeServer server = GoodServer();
        var progress = new ListProgress();
        using var fetcher = new DatasetFetcher(server);

        DatasetLocation location = await fetcher.FetchAsync(Manifest, s_base, _directory, progress);

        Assert.Equal(_directory, location.Directory);
        string images = location.GetPath("s-images-idx3-ubyte");
        Assert.Equal(Path.Combine(_directory, "s-images-idx3-ubyte.gz"), images);
        Dataset<float> data = Dataset<float>.LoadIdx(images, location.GetPath("s-labels-idx1-ubyte"), 10);
        Assert.Equal(100, data.Count);
        Assert.Equal(2, server.Requests);
        Assert.Equal(["s-images-idx3-ubyte.gz", "s-labels-idx1-ubyte.gz"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order());

        // Progress: from 0 to the full length of each file, never decreasing.
        DownloadProgress last = progress.Reports.Last(p => p.FileName == "s-images-idx3-ubyte.gz");
        Assert.Equal(new FileInfo(images).Length, last.BytesReceived);
        Assert.Equal(last.BytesReceived, last.TotalBytes);
        Assert.Contains(progress.Reports, p => p.FileName == "s-labels-idx1-ubyte.gz" && p.BytesReceived == 0);

        // A second fetch finds the verified files and downloads nothing.
        DatasetLocation again = await fetcher.FetchAsync(Manifest, new Uri("http://data.example/sets/synthetic"), _directory);
        Assert.Equal(images, again.GetPath("s-images-idx3-ubyte"));
        Assert.Equal(2, server.Requests);

        var locator = new DatasetLocator(Manifest) { ExplicitDirectory = _directory };
        Assert.Equal(images, locator.Locate().GetPath("s-images-idx3-ubyte"));
    }

    [Fact]
    public async Task Corrupted_download_is_rejected_and_discarded()
    {
        FakeServer server = GoodServer();
        byte[] corrupted = (byte[])_labelsContent.Clone();
        corrupted[^1] ^= 1;
        server["/sets/synthetic/s-labels-idx1-ubyte.gz"] = DataTestFiles.Gzip(corrupted);
        using var fetcher = new DatasetFetcher(server);

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.FetchAsync(Manifest, s_base, _directory));

        Assert.Contains("http://data.example/sets/synthetic/s-labels-idx1-ubyte.gz", e.Message, StringComparison.Ordinal);
        Assert.Contains($"the SHA-256 of the decompressed content is {Convert.ToHexStringLower(SHA256.HashData(corrupted))}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"s-labels-idx1-ubyte has {Manifest.Files[1].Sha256}", e.Message, StringComparison.Ordinal);
        Assert.Contains("discarded", e.Message, StringComparison.Ordinal);

        // Only the verified file is there: no labels file, no temporary file.
        Assert.Equal(["s-images-idx3-ubyte.gz"], Directory.GetFiles(_directory).Select(Path.GetFileName));
        Assert.False(new DatasetLocator(Manifest) { ExplicitDirectory = _directory }.TryLocate(out _));
    }

    [Fact]
    public async Task Wrong_length_is_rejected()
    {
        FakeServer server = GoodServer();
        server["/sets/synthetic/s-images-idx3-ubyte.gz"] = DataTestFiles.Gzip(_imagesContent.AsSpan(0, _imagesContent.Length - 5));
        using var fetcher = new DatasetFetcher(server);

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.FetchAsync(Manifest, s_base, _directory));
        Assert.Contains($"the decompressed content is {_imagesContent.Length - 5} bytes; s-images-idx3-ubyte has {_imagesContent.Length}", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Garbage_download_is_rejected()
    {
        FakeServer server = GoodServer();
        server["/sets/synthetic/s-images-idx3-ubyte.gz"] = [0x1F, 0x8B, .. DataTestFiles.RandomBytes(1000, 5)];
        using var fetcher = new DatasetFetcher(server);

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.FetchAsync(Manifest, s_base, _directory));
        Assert.Contains("gzip stream is corrupt", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task Server_error_is_reported_with_the_url_and_status(HttpStatusCode status)
    {
        FakeServer server = GoodServer();
        server.Status = status;
        using var fetcher = new DatasetFetcher(server);

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(Manifest, s_base, _directory));
        Assert.Equal(status, e.StatusCode);
        Assert.Contains($"Downloading http://data.example/sets/synthetic/s-images-idx3-ubyte.gz failed: the server answered {(int)status}", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Oversized_response_is_cut_off()
    {
        FakeServer server = GoodServer();
        long limit = DatasetFetcher.GetDownloadLimit(Manifest.Files[1]);
        server["/sets/synthetic/s-labels-idx1-ubyte.gz"] = new byte[limit + 1];
        using var fetcher = new DatasetFetcher(server);

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.FetchAsync(Manifest, s_base, _directory));
        Assert.Contains($"announces {limit + 1} bytes, more than the {limit} bytes allowed", e.Message, StringComparison.Ordinal);

        server.HideLength = true;
        e = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.FetchAsync(Manifest, s_base, _directory));
        Assert.Contains($"the response exceeds the {limit} bytes allowed", e.Message, StringComparison.Ordinal);
        Assert.Equal(["s-images-idx3-ubyte.gz"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Cancellation_leaves_nothing_behind()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new ListProgress(p =>
        {
            if (p.BytesReceived > 0)
            {
                cancellation.Cancel();
            }
        });
        using var fetcher = new DatasetFetcher(GoodServer());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetcher.FetchAsync(Manifest, s_base, _directory, progress, cancellation.Token));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Invalid_cached_file_is_replaced()
    {
        string stale = Path.Combine(_directory, "s-labels-idx1-ubyte.gz");
        File.WriteAllBytes(stale, DataTestFiles.Gzip([1, 2, 3]));
        string stalePlain = Path.Combine(_directory, "s-images-idx3-ubyte");
        File.WriteAllBytes(stalePlain, [9, 9, 9]);
        FakeServer server = GoodServer();
        using var fetcher = new DatasetFetcher(server);

        DatasetLocation location = await fetcher.FetchAsync(Manifest, s_base, _directory);

        Assert.Equal(2, server.Requests);
        DatasetVerifier.Verify(stale, Manifest.Files[1]);
        Assert.False(File.Exists(stalePlain));
        Assert.Equal(Path.Combine(_directory, "s-images-idx3-ubyte.gz"), location.GetPath("s-images-idx3-ubyte"));
    }

    [Fact]
    public async Task A_server_that_stops_sending_times_out_naming_the_url_and_leaves_nothing()
    {
        // Headers and 14 bytes, then silence: HttpClient.Timeout covers only the headers of a streamed body.
        FakeServer server = GoodServer();
        server.StallAfter = 14;
        using var fetcher = new DatasetFetcher(server) { IdleTimeout = TimeSpan.FromMilliseconds(200) };

        // WaitAsync: were the idle timeout lost, this test must fail, not hang the suite.
        var e = await Assert.ThrowsAsync<TimeoutException>(() => fetcher.FetchAsync(Manifest, s_base, _directory).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains($"Downloading {s_base}s-images-idx3-ubyte.gz: nothing received for 0.2 s after 14 bytes", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
        Assert.Throws<ArgumentOutOfRangeException>(() => fetcher.IdleTimeout = TimeSpan.Zero);
    }

    [Fact]
    public async Task A_refused_connection_names_the_url()
    {
        using var fetcher = new DatasetFetcher(new RefusingHandler());
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(Manifest, s_base, _directory));
        Assert.Equal($"Downloading {s_base}s-images-idx3-ubyte.gz failed: Connection refused (data.example:80)", e.Message);
    }

    [Fact]
    public async Task A_valid_cached_file_removes_an_invalid_copy_under_the_other_name()
    {
        // The locator prefers the .gz name: a corrupt .gz beside a valid plain file would be picked after a
        // fetch that reported success.
        File.WriteAllBytes(Path.Combine(_directory, "s-images-idx3-ubyte"), _imagesContent);
        string corrupt = Path.Combine(_directory, "s-images-idx3-ubyte.gz");
        File.WriteAllBytes(corrupt, DataTestFiles.Gzip([7, 7, 7]));
        using var fetcher = new DatasetFetcher(GoodServer());

        DatasetLocation location = await fetcher.FetchAsync(Manifest, s_base, _directory);

        Assert.False(File.Exists(corrupt));
        Assert.Equal(Path.Combine(_directory, "s-images-idx3-ubyte"), location.GetPath("s-images-idx3-ubyte"));
        Assert.Equal(location.GetPath("s-images-idx3-ubyte"), new DatasetLocator(Manifest) { ExplicitDirectory = _directory }.Locate().GetPath("s-images-idx3-ubyte"));
    }

    [Fact]
    public async Task Plain_response_is_kept_under_the_plain_name()
    {
        FakeServer server = GoodServer();
        server["/sets/synthetic/s-labels-idx1-ubyte.gz"] = _labelsContent;
        using var fetcher = new DatasetFetcher(server);

        DatasetLocation location = await fetcher.FetchAsync(Manifest, s_base, _directory);

        Assert.Equal(Path.Combine(_directory, "s-labels-idx1-ubyte"), location.GetPath("s-labels-idx1-ubyte"));
        Assert.Equal(_labelsContent, File.ReadAllBytes(location.GetPath("s-labels-idx1-ubyte")));
    }

    [Fact]
    public void Verifier_reports_length_and_hash()
    {
        string path = Path.Combine(_directory, "x.gz");
        File.WriteAllBytes(path, DataTestFiles.Gzip(_labelsContent));
        Assert.True(DatasetVerifier.TryVerify(path, Manifest.Files[1], out _));
        Assert.False(DatasetVerifier.TryVerify(path, Manifest.Files[0], out string? problem));
        Assert.Contains("is 108 bytes; s-images-idx3-ubyte has 78416", problem, StringComparison.Ordinal);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => DatasetVerifier.Verify(path, Manifest.Files[0]));
        Assert.StartsWith($"'{path}': ", e.Message, StringComparison.Ordinal);
    }

    /// <summary>End to end over a real socket: a local <see cref="HttpListener"/> on 127.0.0.1 and a free port.</summary>
    [Fact]
    public async Task Downloads_from_a_local_http_server()
    {
        Dictionary<string, byte[]> files = new()
        {
            ["/fm/s-images-idx3-ubyte.gz"] = DataTestFiles.Gzip(_imagesContent),
            ["/fm/s-labels-idx1-ubyte.gz"] = DataTestFiles.Gzip(_labelsContent),
        };
        using var server = new LocalHttpServer(async (context, stop) =>
        {
            if (files.TryGetValue(context.Request.Url!.AbsolutePath, out byte[]? body))
            {
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body, stop);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var fetcher = new DatasetFetcher();

        DatasetLocation location = await fetcher.FetchAsync(Manifest, new Uri(server.BaseAddress, "fm/"), _directory, cancellationToken: cancellation.Token);
        DatasetVerifier.Verify(location.GetPath("s-images-idx3-ubyte"), Manifest.Files[0]);

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(
            () => fetcher.FetchAsync(Manifest, new Uri(server.BaseAddress, "missing/"), Path.Combine(_directory, "other"), cancellationToken: cancellation.Token));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory, "other")));
    }

    /// <summary>Serves byte arrays by path, or a fixed error status; counts requests.</summary>
    private sealed class FakeServer : HttpMessageHandler
    {
        private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

        public int Requests { get; private set; }

        public HttpStatusCode? Status { get; set; }

        public bool HideLength { get; set; }

        /// <summary>When set, a body sends this many bytes and then nothing more (its length still announced).</summary>
        public int? StallAfter { get; set; }

        public byte[] this[string path]
        {
            get => _files[path];
            set => _files[path] = value;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            if (Status is HttpStatusCode status)
            {
                return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("error page") });
            }

            if (!_files.TryGetValue(request.RequestUri!.AbsolutePath, out byte[]? body))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }

            HttpContent content = StallAfter is int stall ? new StreamContent(new StallingStream(body.AsMemory(0, stall))) { Headers = { ContentLength = body.Length } }
                : HideLength ? new StreamContent(new NonSeekableStream(new MemoryStream(body))) : new ByteArrayContent(body);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    /// <summary>Fails every request as a refused connection does, with a message that names no URL.</summary>
    private sealed class RefusingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused (data.example:80)");
    }

    /// <summary>Returns its bytes, then waits until cancelled: a server that stopped sending.</summary>
    private sealed class StallingStream(ReadOnlyMemory<byte> start) : Stream
    {
        private ReadOnlyMemory<byte> _left = start;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left.IsEmpty)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            int n = Math.Min(buffer.Length, _left.Length);
            _left[..n].CopyTo(buffer);
            _left = _left[n..];
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Records progress synchronously (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
    private sealed class ListProgress(Action<DownloadProgress>? onReport = null) : IProgress<DownloadProgress>
    {
        public List<DownloadProgress> Reports { get; } = [];

        public void Report(DownloadProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
