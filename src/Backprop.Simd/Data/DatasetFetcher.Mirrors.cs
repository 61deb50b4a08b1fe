using System.Runtime.ExceptionServices;

namespace Backprop.Simd.Data;

/// <content>Several addresses for one data set, tried in order, and the find-or-download entry point.</content>
public sealed partial class DatasetFetcher
{
    /// <summary>
    /// Ensures that every file of <paramref name="manifest"/> is in <paramref name="directory"/> and verified, trying
    /// <paramref name="mirrors"/> in order: when one fails (an error status, no connection, a timeout, a file that does
    /// not match its hash), the next is asked for the files still missing, as torchvision does.
    /// </summary>
    /// <param name="manifest">The files and their hashes, for example <see cref="Mnist.Manifest"/>.</param>
    /// <param name="mirrors">The base addresses, in order of preference, for example <see cref="Mnist.Mirrors"/>; at least one.</param>
    /// <param name="directory">The target directory, created if missing; null for <see cref="GetDefaultCacheDirectory"/>.</param>
    /// <param name="progress">Receives the bytes received per file; optional.</param>
    /// <param name="cancellationToken">Cancels the downloads (no further mirror is tried); a cancelled download leaves nothing behind.</param>
    /// <returns>Where the files are.</returns>
    /// <exception cref="ArgumentException">There is no mirror, or one is not absolute.</exception>
    /// <exception cref="HttpRequestException">Every mirror failed, not all by delivering a wrong file; the message names each mirror's failure.</exception>
    /// <exception cref="TimeoutException">The only mirror timed out (see <see cref="IdleTimeout"/>).</exception>
    /// <exception cref="InvalidDataException">Every mirror delivered a file that does not match its hash (or is too long); the message names each.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public async Task<DatasetLocation> FetchAsync(
        DatasetManifest manifest,
        IReadOnlyList<Uri> mirrors,
        string? directory = null,
        IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(mirrors);
        if (mirrors.Count == 0)
        {
            throw new ArgumentException($"No address to download {manifest.Name} from: give at least one mirror.", nameof(mirrors));
        }

        var failures = new List<Exception>();
        foreach (Uri mirror in mirrors)
        {
            try
            {
                return await FetchAsync(manifest, mirror, directory, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when ((e is HttpRequestException or TimeoutException or InvalidDataException) && !cancellationToken.IsCancellationRequested)
            {
                failures.Add(e);
            }
        }

        if (failures.Count == 1)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }

        string message = $"Downloading {manifest.Name} failed from every mirror:" + string.Concat(failures.Select(f => "\n  " + f.Message));
        var inner = new AggregateException(failures);
        throw failures.TrueForAll(f => f is InvalidDataException) ? new InvalidDataException(message, inner) : new HttpRequestException(message, inner);
    }

    /// <summary>
    /// Finds the data set on the machine and checks every file's hash, or downloads it from
    /// <paramref name="mirrors"/>: the entry point of a "load, downloading if missing" API.
    /// </summary>
    /// <remarks>
    /// With <paramref name="directory"/> null the default places are searched (see <see cref="DatasetLocator"/>); files
    /// found in the download cache that fail their check are downloaded again, files found elsewhere are refused (they
    /// are the user's, and may be another data set under the same names). With a directory, only it is searched, and
    /// missing files are downloaded into it.
    /// </remarks>
    /// <param name="manifest">The files and their hashes.</param>
    /// <param name="mirrors">The base addresses, in order of preference; at least one.</param>
    /// <param name="directory">A directory to look in and download into; null for the default places and the cache.</param>
    /// <param name="progress">Receives the bytes received per file, if there is a download; optional.</param>
    /// <param name="cancellationToken">Cancels the downloads.</param>
    /// <returns>Where the verified files are.</returns>
    /// <exception cref="InvalidDataException">A file found outside the cache does not match its hash (the message names it), or every mirror delivered a wrong file.</exception>
    /// <exception cref="HttpRequestException">No mirror could deliver a missing file; the message names each mirror's failure.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public async Task<DatasetLocation> LocateOrFetchAsync(
        DatasetManifest manifest,
        IReadOnlyList<Uri> mirrors,
        string? directory = null,
        IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var locator = new DatasetLocator(manifest) { ExplicitDirectory = directory };
        string cache = Path.GetFullPath(GetDefaultCacheDirectory(manifest));
        if (!locator.TryLocate(out DatasetLocation? location))
        {
            return await FetchAsync(manifest, mirrors, directory ?? cache, progress, cancellationToken).ConfigureAwait(false);
        }

        if (directory is null && string.Equals(location.Directory, cache, StringComparison.Ordinal))
        {
            // The cache is ours to repair: FetchAsync keeps the valid files and downloads the others again.
            return await FetchAsync(manifest, mirrors, cache, progress, cancellationToken).ConfigureAwait(false);
        }

        foreach (DatasetFile file in manifest.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string path = location.GetPath(file.Name);
            if (!DatasetVerifier.TryVerify(path, file, out string? problem))
            {
                throw new InvalidDataException($"'{path}' is not {manifest.Name}'s {file.Name}: {problem}. Remove it, or name another directory.");
            }
        }

        return location;
    }
}
