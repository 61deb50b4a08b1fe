namespace Backprop.Simd.Cli.Data;

/// <summary>Which data a command asked for: <c>--dataset</c>, <c>--data</c> and <c>--limit</c>, checked.</summary>
/// <param name="Kind">The data set.</param>
/// <param name="Directory">The directory given with <c>--data</c>, if any.</param>
/// <param name="Limit">The most samples to use from each of the training and test sets; 0 for all.</param>
internal sealed record DataRequest(DatasetKind Kind, string? Directory, int Limit)
{
    /// <summary>
    /// The classes an <c>idx</c> data set has, as <c>train --classes</c> or a model declares them; 0 to take them from
    /// the labels. Every label must be below it. mnist10k and fashion-mnist declare their own 10.
    /// </summary>
    public int Classes { get; init; }

    /// <summary>The names <c>--dataset</c> accepts.</summary>
    public static readonly string[] Names = ["mnist10k", "fashion-mnist", "idx"];

    /// <summary>The data set's name, as <c>--dataset</c> spells it and as model files record it.</summary>
    public string Name => Names[(int)Kind];

    /// <summary>Checks the combination of options.</summary>
    /// <param name="dataset">The <c>--dataset</c> value, or null: then <c>idx</c> when a directory is given, else <c>mnist10k</c>.</param>
    /// <param name="directory">The <c>--data</c> value, or null.</param>
    /// <param name="limit">The <c>--limit</c> value.</param>
    /// <exception cref="ArgumentException">The combination makes no sense; the message says why.</exception>
    public static DataRequest Create(string? dataset, string? directory, int limit)
    {
        if (limit < 0)
        {
            throw new ArgumentException($"--limit must be 0 (all) or a positive number of samples, not {limit}.");
        }

        string name = dataset ?? (directory is null ? Names[0] : Names[2]);
        int index = Array.IndexOf(Names, name);
        if (index < 0)
        {
            throw new ArgumentException($"--dataset must be one of {string.Join(", ", Names)}, not '{name}'.");
        }

        var kind = (DatasetKind)index;
        if (kind == DatasetKind.Mnist10k && directory is not null)
        {
            throw new ArgumentException("mnist10k is embedded in the tool and takes no --data directory; for a directory of IDX files leave out --dataset or use --dataset idx.");
        }

        if (kind == DatasetKind.Idx && directory is null)
        {
            throw new ArgumentException("--dataset idx needs --data DIR, a directory holding train-images/train-labels IDX files.");
        }

        return new DataRequest(kind, directory, limit);
    }
}
