using System.Net;
using System.Security.Cryptography;
using Backprop.Simd.Data;
using Backprop.Simd.IO;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Data;

/// <summary>
/// The fetcher against a misbehaving server on 127.0.0.1: a trickle, credentials in addresses, redirects to other
/// schemes, a cut connection; and against a hostile cache directory. Every failure must name the URL without secrets.
/// </summary>
[Trait("Category", "Data")]
public sealed class DatasetFetcherHostileTests : IDisposable
{
    private readonly string _directory = DataTestFiles.CreateTemporaryDirectory();
    private readonly byte[] _labels = DataTestFiles.Encode([50], DataTestFiles.RandomBytes(50, 3).Select(b => (byte)(b % 10)).ToArray());
    private readonly DatasetManifest _manifest;

    public DatasetFetcherHostileTests() =>
        _manifest = new DatasetManifest("hostile", [new DatasetFile("h-labels-idx1-ubyte", _labels.Length, Convert.ToHexStringLower(SHA256.HashData(_labels)))]);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_server_that_trickles_fails_within_the_rate_window_naming_the_url_and_the_rate()
    {
        using var server = new LocalHttpServer(async (context, stop) =>
        {
            // Within the download limit, so that only the rate can stop it.
            context.Response.ContentLength64 = DatasetFetcher.GetDownloadLimit(_manifest.Files[0]);
            while (!stop.IsCancellationRequested)
            {
                await context.Response.OutputStream.WriteAsync(new byte[10], stop);
                await context.Response.OutputStream.FlushAsync(stop);
                await Task.Delay(100, stop);
            }
        });
        using var fetcher = new DatasetFetcher { MinimumTransferRate = 1000, TransferRateWindow = TimeSpan.FromMilliseconds(500) };

        // WaitAsync: without the rate check the idle timeout never fires, and this test must fail, not hang.
        TimeoutException e = await Assert.ThrowsAsync<TimeoutException>(() => fetcher.FetchAsync(_manifest, server.BaseAddress, _directory).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.StartsWith($"Downloading {server.BaseAddress}h-labels-idx1-ubyte.gz: ", e.Message, StringComparison.Ordinal);
        Assert.Matches(@"\d+ bytes in the last [\d.]+ s \([\d.]+ bytes/s\), slower than the minimum of 1000 bytes/s \(MinimumTransferRate\)", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
        Assert.Throws<ArgumentOutOfRangeException>(() => fetcher.MinimumTransferRate = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => fetcher.TransferRateWindow = TimeSpan.Zero);
    }

    [Fact]
    public async Task Credentials_in_the_address_are_never_in_a_message()
    {
        using var server = new LocalHttpServer((context, _) =>
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        var address = new Uri($"http://alice:s3cret@127.0.0.1:{server.BaseAddress.Port}/sets/?token=abc");
        using var fetcher = new DatasetFetcher();

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(_manifest, address, _directory));

        Assert.Equal($"Downloading http://***@127.0.0.1:{server.BaseAddress.Port}/sets/h-labels-idx1-ubyte.gz failed: the server answered 404 Not Found.", e.Message);
        Assert.Equal($"http://***@127.0.0.1:{server.BaseAddress.Port}/sets/?***", DatasetFetcher.RedactAddress(address));
        ArgumentException wrongScheme = await Assert.ThrowsAsync<ArgumentException>(() => fetcher.FetchAsync(_manifest, new Uri("ftp://alice:s3cret@mirror.example/sets/"), _directory));
        Assert.Contains("'ftp://***@mirror.example/sets/' is not an absolute http or https address", wrongScheme.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", wrongScheme.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_another_scheme_fails_naming_the_url_and_where_it_pointed()
    {
        using var server = new LocalHttpServer((context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.RedirectLocation = "file:///etc/passwd";
            return Task.CompletedTask;
        });
        using var fetcher = new DatasetFetcher();

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(_manifest, server.BaseAddress, _directory));

        Assert.Equal($"Downloading {server.BaseAddress}h-labels-idx1-ubyte.gz failed: the server answered 302 Found, redirecting to file:///etc/passwd: only http and https addresses are followed.", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public async Task Credentials_in_a_redirect_are_never_in_a_message()
    {
        using var server = new LocalHttpServer((context, _) =>
        {
            if (context.Request.Url!.AbsolutePath.StartsWith("/first/", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 301;
                context.Response.RedirectLocation = $"http://bob:hunter2@127.0.0.1:{context.Request.Url.Port}/second/?sig=xyz";
            }
            else
            {
                context.Response.StatusCode = 403;
            }

            return Task.CompletedTask;
        });
        using var fetcher = new DatasetFetcher();

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(_manifest, new Uri(server.BaseAddress, "first/"), _directory));

        Assert.Equal($"Downloading {server.BaseAddress}first/h-labels-idx1-ubyte.gz failed: the server answered 403 Forbidden.", e.Message);
        Assert.DoesNotContain("hunter2", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_cut_mid_body_names_the_url()
    {
        using var server = new LocalHttpServer(async (context, stop) =>
        {
            context.Response.ContentLength64 = 1000;
            await context.Response.OutputStream.WriteAsync(new byte[10], stop);
            await context.Response.OutputStream.FlushAsync(stop);
            context.Response.Abort();
        });
        using var fetcher = new DatasetFetcher();

        IOException e = await Assert.ThrowsAsync<IOException>(() => fetcher.FetchAsync(_manifest, server.BaseAddress, _directory).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.StartsWith($"Downloading {server.BaseAddress}h-labels-idx1-ubyte.gz into '{_directory}' failed: ", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public async Task A_fifo_under_a_data_set_name_is_refused_not_read()
    {
        SpecialFiles.MakeFifo(Path.Combine(_directory, "h-labels-idx1-ubyte"));
        using var fetcher = new DatasetFetcher(new NoNetwork());

        // Opening a FIFO to verify it would block until a writer came: the test must fail, not hang.
        IOException e = await Assert.ThrowsAsync<IOException>(() => fetcher.FetchAsync(_manifest, new Uri("http://mirror.example/"), _directory).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Contains("h-labels-idx1-ubyte' is not a regular file (Pipe)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_leftover_of_an_interrupted_download_is_removed_by_the_next_one()
    {
        byte[] body = DataTestFiles.Gzip(_labels);
        using var server = new LocalHttpServer(async (context, stop) =>
        {
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body, stop);
        });
        string leftover = AtomicFile.TemporaryPath(Path.Combine(_directory, "h-labels-idx1-ubyte.gz"));
        File.WriteAllBytes(leftover, body[..5]);
        using var fetcher = new DatasetFetcher();

        DatasetLocation location = await fetcher.FetchAsync(_manifest, server.BaseAddress, _directory);

        Assert.Equal(["h-labels-idx1-ubyte.gz"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName));
        DatasetVerifier.Verify(location.GetPath("h-labels-idx1-ubyte"), _manifest.Files[0]);
    }

    /// <summary>Fails any request: the tests that use it must not reach the network.</summary>
    private sealed class NoNetwork : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
    }
}
