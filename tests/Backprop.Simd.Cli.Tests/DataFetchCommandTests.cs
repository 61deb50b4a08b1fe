using System.Net;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Cli.Tests;

/// <summary><c>data fetch</c> against a server on 127.0.0.1 that this test runs; nothing leaves the machine.</summary>
public sealed class DataFetchCommandTests
{
    [Fact]
    public async Task A_download_that_fails_verification_is_a_user_error_and_leaves_nothing_behind()
    {
        using var cache = new TemporaryDirectory();
        using var server = Answering(HttpStatusCode.OK, "not the fashion-mnist file"u8.ToArray());

        CliRun run = await CliRun.RunAsync("data", "fetch", "fashion-mnist", "--cache", cache.Path, "--url", server.BaseAddress.ToString());

        run.AssertUserError("train-images-idx3-ubyte.gz");
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    [Fact]
    public async Task Mnist_is_verified_against_its_own_hashes_and_a_corrupt_download_refused()
    {
        using var cache = new TemporaryDirectory();
        using var server = Answering(HttpStatusCode.OK, Gzip("not the MNIST training images"u8));

        CliRun run = await CliRun.RunAsync("data", "fetch", "mnist", "--cache", cache.Path, "--url", server.BaseAddress.ToString());

        run.AssertUserError($"Downloaded {server.BaseAddress}train-images-idx3-ubyte.gz, but the decompressed content is 29 bytes; train-images-idx3-ubyte has 47040016");
        Assert.Contains($"fetching mnist from {server.BaseAddress} into {cache.Path}", run.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    [Fact]
    public async Task A_server_error_exits_with_1_naming_the_url()
    {
        using var cache = new TemporaryDirectory();
        using var server = Answering(HttpStatusCode.NotFound, []);

        CliRun run = await CliRun.RunAsync("data", "fetch", "fashion-mnist", "--cache", cache.Path, "--url", server.BaseAddress.ToString());

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        Assert.Contains(server.BaseAddress + "train-images-idx3-ubyte.gz", line, StringComparison.Ordinal);
        Assert.Contains("404", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    private static byte[] Gzip(ReadOnlySpan<byte> content)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    /// <summary>A server on a free loopback port that answers every request with one status and body.</summary>
    private static LocalHttpServer Answering(HttpStatusCode status, byte[] body) => new(async (context, token) =>
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body, token);
    });
}
