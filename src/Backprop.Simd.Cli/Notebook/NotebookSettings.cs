namespace Backprop.Simd.Cli.Notebook;

/// <summary>What <c>backprop notebook</c> was asked to do.</summary>
/// <param name="DataDirectory">The <c>--data</c> directory, or null for the default places.</param>
/// <param name="OutputDirectory">Where the pictures go.</param>
/// <param name="Seed">numpy's seed of the shuffle and of the starting weights.</param>
/// <param name="Json">One JSON object per experiment instead of text.</param>
/// <param name="Threads">The most threads; 0 for every processor.</param>
/// <param name="Limit">Train on only this many digits; 0 for all.</param>
/// <param name="EpochScale">The factor on every experiment's epochs.</param>
internal sealed record NotebookSettings(string? DataDirectory, string OutputDirectory, uint Seed, bool Json, int Threads, int Limit, double EpochScale)
{
    /// <summary>Run the error-spike study of experiment 6 instead of the replay.</summary>
    public bool ExplainSpikes { get; init; }

    /// <summary>The study's epochs per variant; 0 for experiment 6's 500 (times <see cref="EpochScale"/>).</summary>
    public int SpikeEpochs { get; init; }

    /// <summary>The study estimates the sharpness after every this many epochs.</summary>
    public int SharpnessEvery { get; init; } = 5;

    /// <summary>Whether a quick-check option departs from the notebook's settings.</summary>
    public bool IsQuickCheck => Limit > 0 || EpochScale != 1;
}
