using System.Diagnostics;
using System.Globalization;
using System.Net;
using Backprop.Simd.IO;

namespace Backprop.Simd.Data;

/// <summary>
/// Downloads the files of a data set into a cache directory and verifies each by the SHA-256 of its decompressed
/// content before it takes its final name.
/// </summary>
/// <remarks>
/// <para>
/// Each file is fetched from <c>baseAddress + NAME.gz</c> into a temporary file in the target directory, flushed to
/// disk, verified against the manifest, and only then renamed into place, so the directory never holds a
/// half-written or unverified file under a data set name: after a failure, a corrupt download or a cancellation the
/// temporary file is deleted and whatever was there before is unchanged. Files already present and valid are not
/// downloaded again. A download is limited to a little more than the manifest's length, so a misbehaving server
/// cannot fill the disk, and must keep up <see cref="MinimumTransferRate"/>, so a trickling one cannot hang it.
/// </para>
/// <para>
/// Only http and https addresses are fetched, and only redirects to them are followed (at most 10, and none from
/// https to http; the fetcher's own client follows them itself, so that a redirect elsewhere is named). Messages name the URL of the
/// file with its credentials and query hidden (see <see cref="RedactAddress"/>): a password given in the address is
/// never printed.
/// </para>
/// <para>
/// Pass an <see cref="HttpClient"/> or an <see cref="HttpMessageHandler"/> to control the transport (proxies,
/// timeouts, or a fake server in tests). The fetcher needs the network only when it is called.
/// </para>
/// </remarks>
public sealed partial class DatasetFetcher : IDisposable
{
    private const int BufferLength = 1 << 16;
    private const int MaxRedirects = 10;

    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private TimeSpan _idleTimeout = TimeSpan.FromSeconds(30);
    private long _minimumTransferRate = 1024;
    private TimeSpan _transferRateWindow = TimeSpan.FromSeconds(30);

    /// <summary>Creates a fetcher with its own <see cref="HttpClient"/>.</summary>
    public DatasetFetcher()
        : this(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }), ownsClient: true)
    {
    }

    /// <summary>Creates a fetcher that sends its requests through <paramref name="handler"/> (not disposed by the fetcher).</summary>
    /// <param name="handler">The message handler.</param>
    public DatasetFetcher(HttpMessageHandler handler)
        : this(new HttpClient(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler: false), ownsClient: true)
    {
    }

    /// <summary>Creates a fetcher that uses <paramref name="client"/> (not disposed by the fetcher).</summary>
    /// <param name="client">The client.</param>
    public DatasetFetcher(HttpClient client)
        : this(client ?? throw new ArgumentNullException(nameof(client)), ownsClient: false)
    {
    }

    private DatasetFetcher(HttpClient client, bool ownsClient)
    {
        _client = client;
        _ownsClient = ownsClient;
    }

    /// <summary>
    /// The longest a download may go without receiving a byte before it fails with <see cref="TimeoutException"/>.
    /// <see cref="HttpClient.Timeout"/> covers only the wait for the response headers: the body is streamed, so a
    /// server that stops sending would otherwise hang the download for ever. Default 30 seconds;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive (nor infinite).</exception>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        set
        {
            if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The idle timeout must be positive, or infinite.");
            }

            _idleTimeout = value;
        }
    }

    /// <summary>
    /// The slowest a download may run, in bytes per second averaged over <see cref="TransferRateWindow"/>, before it
    /// fails with <see cref="TimeoutException"/>: a server that sends a few bytes at a time never trips
    /// <see cref="IdleTimeout"/>, but fails here within about one window. Default 1,024 bytes per second; 0 turns it off.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public long MinimumTransferRate
    {
        get => _minimumTransferRate;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _minimumTransferRate = value;
        }
    }

    /// <summary>The span over which <see cref="MinimumTransferRate"/> is measured, from the first byte of the body on. Default 30 seconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive, or infinite.</exception>
    public TimeSpan TransferRateWindow
    {
        get => _transferRateWindow;
        set
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The transfer rate window must be positive.");
            }

            _transferRateWindow = value;
        }
    }

    /// <summary>
    /// <paramref name="address"/> as the fetcher's messages show it: a user name and password are replaced by
    /// <c>***</c>, and so is a query (where signed URLs carry their tokens).
    /// </summary>
    /// <param name="address">An absolute address.</param>
    /// <returns>The address without its secrets, for example <c>https://***@mirror.example/data/?***</c>.</returns>
    public static string RedactAddress(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri)
        {
            return address.OriginalString;
        }

        string user = address.UserInfo.Length > 0 ? "***@" : string.Empty;
        string query = address.Query.Length > 0 ? "?***" : string.Empty;
        return $"{address.Scheme}://{user}{address.Authority}{address.AbsolutePath}{query}";
    }

    /// <summary>
    /// The root of the download cache: <c>$XDG_CACHE_HOME/backprop</c> when that variable holds an absolute path,
    /// else <c>~/.cache/backprop</c> (on Windows, <c>%LOCALAPPDATA%\backprop</c>).
    /// </summary>
    /// <returns>The directory path (it may not exist yet).</returns>
    public static string GetDefaultCacheRoot()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "backprop");
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "backprop");
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home)
            ? Path.Combine(Path.GetTempPath(), "backprop")
            : Path.Combine(home, ".cache", "backprop");
    }

    /// <summary>The cache directory of one data set: <see cref="GetDefaultCacheRoot"/> / manifest name.</summary>
    /// <param name="manifest">The data set.</param>
    /// <returns>The directory path (it may not exist yet).</returns>
    public static string GetDefaultCacheDirectory(DatasetManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return Path.Combine(GetDefaultCacheRoot(), manifest.Name);
    }

    /// <summary>
    /// The most bytes accepted for one download of <paramref name="file"/>: its decompressed length plus 1/8 and
    /// 64 KiB, more than gzip ever adds to incompressible data.
    /// </summary>
    /// <param name="file">The manifest entry.</param>
    /// <returns>The limit in bytes.</returns>
    public static long GetDownloadLimit(DatasetFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Length + (file.Length / 8) + (64 * 1024);
    }

    /// <summary>
    /// Ensures that every file of <paramref name="manifest"/> is in <paramref name="directory"/> and verified,
    /// downloading the missing or invalid ones from <paramref name="baseAddress"/>.
    /// </summary>
    /// <param name="manifest">The files and their hashes, for example <see cref="FashionMnist.Manifest"/>.</param>
    /// <param name="baseAddress">The URL the file names are appended to, for example <see cref="FashionMnist.DefaultBaseAddress"/>.</param>
    /// <param name="directory">The target directory, created if missing; null for <see cref="GetDefaultCacheDirectory"/>.</param>
    /// <param name="progress">Receives the bytes received per file; optional.</param>
    /// <param name="cancellationToken">Cancels the downloads; a cancelled download leaves nothing behind.</param>
    /// <returns>Where the files are.</returns>
    /// <exception cref="HttpRequestException">The server answered with an error status or could not be reached; the message names the URL.</exception>
    /// <exception cref="TimeoutException">The server sent no headers within <see cref="HttpClient.Timeout"/>, nothing for <see cref="IdleTimeout"/> during the body, or the body slower than <see cref="MinimumTransferRate"/>; the message names the URL (and the rate).</exception>
    /// <exception cref="InvalidDataException">A downloaded file is too long or does not match its hash; the message names the URL and the expected and actual values.</exception>
    /// <exception cref="IOException">A file could not be written (a full disk; a device or FIFO under a data set file's name); the message names the URL.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseAddress"/> is not an absolute http or https address.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public async Task<DatasetLocation> FetchAsync(
        DatasetManifest manifest,
        Uri baseAddress,
        string? directory = null,
        IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The base address '{RedactAddress(baseAddress)}' is not an absolute http or https address.", nameof(baseAddress));
        }

        // "http://host/path" would lose its last segment when a name is appended; "http://host/path/" keeps it.
        if (!baseAddress.AbsolutePath.EndsWith('/'))
        {
            baseAddress = new Uri(baseAddress.AbsoluteUri + "/");
        }

        directory = Path.GetFullPath(directory ?? GetDefaultCacheDirectory(manifest));
        Directory.CreateDirectory(directory);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DatasetFile file in manifest.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? existing = FindValid(directory, file);
            paths.Add(file.Name, existing ?? await DownloadAsync(file, new Uri(baseAddress, file.CompressedName), directory, progress, cancellationToken).ConfigureAwait(false));
        }

        return new DatasetLocation(manifest, directory, paths);
    }

    /// <summary>Releases the HTTP client if the fetcher created it.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>
    /// The path of a verified copy of <paramref name="file"/> already in <paramref name="directory"/>, if any. An
    /// invalid copy under the other name is deleted, as after a download: the locator, which prefers the compressed
    /// name, must not pick it.
    /// </summary>
    /// <exception cref="IOException">A data set file's name holds something other than a regular file (reading a FIFO would hang).</exception>
    private static string? FindValid(string directory, DatasetFile file)
    {
        string compressed = Path.Combine(directory, file.CompressedName);
        string plain = Path.Combine(directory, file.Name);
        foreach (string path in (ReadOnlySpan<string>)[compressed, plain])
        {
            FileKind kind = FileSystemFacts.GetKind(path);
            if (kind is not (FileKind.Absent or FileKind.RegularFile or FileKind.Unknown))
            {
                throw new IOException($"'{path}' is not a regular file ({kind}); remove it so that {file.Name} can be verified or downloaded there.");
            }
        }

        foreach ((string path, string other) in (ReadOnlySpan<(string, string)>)[(compressed, plain), (plain, compressed)])
        {
            if (File.Exists(path) && DatasetVerifier.TryVerify(path, file, out _))
            {
                if (File.Exists(other) && !DatasetVerifier.TryVerify(other, file, out _))
                {
                    TryDelete(other);
                }

                return path;
            }
        }

        return null;
    }

    private async Task<string> DownloadAsync(DatasetFile file, Uri url, string directory, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        string shown = RedactAddress(url);
        long limit = GetDownloadLimit(file);
        try
        {
            using AtomicFile output = AtomicFile.Create(Path.Combine(directory, file.CompressedName), asynchronous: true);
            using (HttpResponseMessage response = await GetHeadersAsync(url, shown, cancellationToken).ConfigureAwait(false))
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException(
                        string.Create(CultureInfo.InvariantCulture, $"Downloading {shown} failed: the server answered {(int)response.StatusCode} {response.ReasonPhrase}."),
                        inner: null,
                        response.StatusCode);
                }

                long? announced = response.Content.Headers.ContentLength;
                if (announced > limit)
                {
                    throw new InvalidDataException($"Downloading {shown}: the server announces {announced} bytes, more than the {limit} bytes allowed for {file.Name} ({file.Length} bytes decompressed).");
                }

                Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    await CopyAsync(body, output.Stream, file.CompressedName, shown, limit, announced, progress, cancellationToken).ConfigureAwait(false);
                    await output.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            // Verified through the still-locked temporary file, which no other fetch can remove meanwhile.
            output.Stream.Position = 0;
            if (!DatasetVerifier.TryVerify(output.Stream, file, out string? problem))
            {
                throw new InvalidDataException($"Downloaded {shown}, but {problem}. The file was discarded.");
            }

            // A server may send the plain file; keep the name that describes the content, and remove an invalid
            // copy under the other name (FindValid rejected both) so that the locator cannot pick it.
            bool gzip = IsGzip(output.Stream);
            string final = Path.Combine(directory, gzip ? file.CompressedName : file.Name);
            output.Commit(final);
            TryDelete(Path.Combine(directory, gzip ? file.Name : file.CompressedName));
            return final;
        }
        catch (IOException e)
        {
            throw new IOException($"Downloading {shown} into '{directory}' failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// The response headers, following redirects to http and https addresses (at most 10, never from https to http);
    /// a redirect elsewhere fails naming both addresses, and failures that name no URL (a refused connection, the
    /// client's timeout) are rephrased to name it.
    /// </summary>
    private async Task<HttpResponseMessage> GetHeadersAsync(Uri url, string shown, CancellationToken cancellationToken)
    {
        Uri current = url;
        for (int redirects = 0; ; redirects++)
        {
            HttpResponseMessage response = await SendAsync(current, shown, cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode is < 300 or > 399 || response.Headers.Location is not { } location)
            {
                return response;
            }

            var next = new Uri(current, location);
            string? problem = next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps ? "only http and https addresses are followed"
                : current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp ? "a download started over https does not continue over http"
                : redirects == MaxRedirects ? $"that is more than {MaxRedirects} redirects"
                : null;
            using (response)
            {
                if (problem is not null)
                {
                    throw new HttpRequestException(
                        string.Create(CultureInfo.InvariantCulture, $"Downloading {shown} failed: the server answered {(int)response.StatusCode} {response.ReasonPhrase}, redirecting to {RedactAddress(next)}: {problem}."),
                        inner: null,
                        response.StatusCode);
                }
            }

            current = next;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, string shown, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"Downloading {shown} failed: {e.Message}", e, e.StatusCode);
        }
        catch (Exception e) when (e is UriFormatException or NotSupportedException or InvalidOperationException)
        {
            // A client that follows redirects itself may reach an address it cannot request.
            throw new HttpRequestException($"Downloading {shown} failed: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Downloading {shown}: the server sent no response within {_client.Timeout.TotalSeconds:0.#} s (HttpClient.Timeout)."), e);
        }
    }

    private async Task CopyAsync(Stream body, Stream output, string name, string url, long limit, long? announced, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferLength];
        long received = 0;
        progress?.Report(new DownloadProgress(name, 0, announced));
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long windowStart = Stopwatch.GetTimestamp();
        long windowBytes = 0;
        while (true)
        {
            int n;
            idle.CancelAfter(_idleTimeout);
            try
            {
                n = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Downloading {url}: nothing received for {_idleTimeout.TotalSeconds:0.###} s after {received} bytes (IdleTimeout)."), e);
            }

            if (n == 0)
            {
                break;
            }

            received += n;
            if (received > limit)
            {
                throw new InvalidDataException($"Downloading {url}: the response exceeds the {limit} bytes allowed for {name}.");
            }

            await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            progress?.Report(new DownloadProgress(name, received, announced));

            // The rate over each window: a trickle keeps the idle timeout from firing but not this.
            windowBytes += n;
            TimeSpan elapsed = Stopwatch.GetElapsedTime(windowStart);
            if (_minimumTransferRate > 0 && elapsed >= _transferRateWindow)
            {
                double rate = windowBytes / elapsed.TotalSeconds;
                if (rate < _minimumTransferRate)
                {
                    throw new TimeoutException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"Downloading {url}: {windowBytes} bytes in the last {elapsed.TotalSeconds:0.#} s ({rate:0.#} bytes/s), slower than the minimum of {_minimumTransferRate} bytes/s (MinimumTransferRate); {received} bytes received in all."));
                }

                windowStart = Stopwatch.GetTimestamp();
                windowBytes = 0;
            }
        }

        if (announced is long expected && received != expected)
        {
            throw new InvalidDataException($"Downloading {url}: the server announced {expected} bytes but sent {received}.");
        }
    }

    /// <summary>Whether the content starts with the gzip signature; reads from the start of <paramref name="stream"/>.</summary>
    private static bool IsGzip(Stream stream)
    {
        stream.Position = 0;
        Span<byte> signature = stackalloc byte[2];
        return stream.ReadAtLeast(signature, 2, throwOnEndOfStream: false) == 2 && signature[0] == 0x1F && signature[1] == 0x8B;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: an invalid copy left here fails verification again at the next fetch.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
