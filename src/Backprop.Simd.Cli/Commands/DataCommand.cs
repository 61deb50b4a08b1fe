using System.CommandLine;
using System.Globalization;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Data;
using Spectre.Console;

namespace Backprop.Simd.Cli.Commands;

/// <summary><c>backprop data fetch mnist|fashion-mnist [--cache DIR] [--url BASE]</c>: downloads and verifies a data set with the library's <see cref="DatasetFetcher"/>.</summary>
internal sealed class DataCommand
{
    private readonly Argument<string> _dataset = new("dataset") { Description = "The data set to download." };
    private readonly Option<string?> _cache = new("--cache") { Description = "The directory to download into (default: $XDG_CACHE_HOME/backprop/NAME or ~/.cache/backprop/NAME, where train and notebook find it).", HelpName = "DIR" };
    private readonly Option<string?> _url = new("--url") { Description = "The address the file names are appended to (default: the data set's official mirrors, in turn).", HelpName = "BASE" };

    /// <summary>The data sets it fetches, with their official addresses in the order to try them.</summary>
    private static readonly Dictionary<string, (DatasetManifest Manifest, IReadOnlyList<Uri> Mirrors)> s_datasets = new(StringComparer.Ordinal)
    {
        [Mnist.Name] = (Mnist.Manifest, Mnist.Mirrors),
        [FashionMnist.Name] = (FashionMnist.Manifest, [FashionMnist.DefaultBaseAddress]),
    };

    public Command Create(CliConsole console)
    {
        _dataset.AcceptOnlyFromAmong([.. s_datasets.Keys]);
        var fetch = new Command("fetch", "Download a data set (mnist: the original MNIST; fashion-mnist) into the cache (or --cache DIR) and verify the SHA-256 of each file's decompressed content; valid files already there are kept.");
        fetch.Add(_dataset);
        fetch.Add(_cache);
        fetch.Add(_url);
        fetch.SetAction((result, cancellationToken) => FetchAsync(console, result.GetValue(_dataset)!, result.GetValue(_cache), result.GetValue(_url), cancellationToken));
        fetch.WithExamples(
            new("backprop data fetch mnist", "The original MNIST into ~/.cache/backprop/mnist, where backprop notebook finds it."),
            new("backprop data fetch fashion-mnist", "Into ~/.cache/backprop/fashion-mnist, where train --dataset fashion-mnist finds it."),
            new("backprop data fetch fashion-mnist --cache /data/fashion", "Into /data/fashion; then train --dataset fashion-mnist -d /data/fashion."));
        var data = new Command("data", "Manage data sets.");
        data.Add(fetch);
        return data;
    }

    private static async Task<int> FetchAsync(CliConsole console, string name, string? cache, string? url, CancellationToken cancellationToken)
    {
        (DatasetManifest manifest, IReadOnlyList<Uri> mirrors) = s_datasets[name];
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? baseAddress) || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
            {
                // Credentials are never printed, even in an address that does not parse.
                string shown = baseAddress is null ? System.Text.RegularExpressions.Regex.Replace(url, "//[^/]*@", "//***@") : DatasetFetcher.RedactAddress(baseAddress);
                throw new ArgumentException($"--url '{shown}' is not an absolute http or https address.");
            }

            mirrors = [baseAddress];
        }

        if (cache is not null)
        {
            OutputDirectory.Prepare(cache, "--cache");
        }

        string directory = Path.GetFullPath(cache ?? DatasetFetcher.GetDefaultCacheDirectory(manifest));
        console.Out.WriteLine($"fetching {manifest.Name} from {string.Join(", then ", mirrors.Select(DatasetFetcher.RedactAddress))} into {directory}");
        using var fetcher = new DatasetFetcher();
        DatasetLocation location;
        if (console.IsTerminal)
        {
            location = await console.Spectre.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(async context =>
                {
                    var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                    var progress = new CallbackProgress<DownloadProgress>(p =>
                    {
                        lock (tasks)
                        {
                            if (!tasks.TryGetValue(p.FileName, out ProgressTask? task))
                            {
                                task = context.AddTask(Markup.Escape(p.FileName), maxValue: p.TotalBytes ?? 1);
                                task.IsIndeterminate = p.TotalBytes is null;
                                tasks.Add(p.FileName, task);
                            }

                            task.Value = p.BytesReceived;
                        }
                    });
                    return await fetcher.FetchAsync(manifest, mirrors, directory, progress, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        else
        {
            location = await fetcher.FetchAsync(manifest, mirrors, directory, progress: null, cancellationToken).ConfigureAwait(false);
        }

        foreach (DatasetFile file in manifest.Files)
        {
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Path.GetFileName(location.GetPath(file.Name))}: {file.Length:N0} bytes decompressed, SHA-256 {file.Sha256[..16]}… verified"));
        }

        console.Out.WriteLine($"{manifest.Name} is ready in {location.Directory}");
        return ExitCodes.Success;
    }
}
