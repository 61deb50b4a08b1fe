using System.CommandLine;
using Backprop.Simd.Cli.Data;

namespace Backprop.Simd.Cli.Commands;

/// <summary><c>--dataset</c>, <c>--data</c> and <c>--limit</c>, shared by train, eval and predict.</summary>
internal sealed class DataOptions
{
    public Option<string?> Dataset { get; } = new("--dataset")
    {
        Description = "mnist10k (the 10,000 embedded digits; default), fashion-mnist (found via --data, $BACKPROP_DATA or /usr/share/datasets), or idx (a directory of IDX files; the default when --data is given).",
        HelpName = string.Join('|', DataRequest.Names),
    };

    public Option<string?> Data { get; } = new("--data")
    {
        Description = "A directory: IDX files train-images/train-labels (and t10k-* as the test set), plain or .gz; or where to find fashion-mnist.",
        HelpName = "DIR",
    };

    public Option<int> Limit { get; } = OptionFactory.Integer("--limit", "Use at most this many samples from each of the training and test sets; 0 for all.", 0, 0);

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        Dataset.AcceptOnlyFromAmong(DataRequest.Names);
        command.Add(Dataset);
        command.Add(Data);
        command.Add(Limit);
    }

    /// <summary>Whether the user named any data (else a command may fall back to what a model file records).</summary>
    public bool IsGiven(ParseResult result) => result.GetValue(Dataset) is not null || result.GetValue(Data) is not null;

    /// <summary>Whether --limit was given (else a command on a model uses the limit it was trained with).</summary>
    public bool LimitGiven(ParseResult result) => result.GetResult(Limit) is { Implicit: false };

    /// <summary>The checked request.</summary>
    public DataRequest Read(ParseResult result) => DataRequest.Create(result.GetValue(Dataset), result.GetValue(Data), result.GetValue(Limit));
}
