namespace Backprop.Simd.Cli.Notebook;

/// <summary>One of the notebook's published MNIST results: what was trained and the accuracy it printed.</summary>
/// <param name="Number">1 to 6, in the notebook's order.</param>
/// <param name="Title">What it is, in a few words.</param>
/// <param name="Recipe">How it was trained.</param>
/// <param name="PublishedTestAccuracy">The test accuracy the notebook printed, on its 500 held-out digits.</param>
internal sealed record NotebookExperiment(int Number, string Title, NotebookRecipe Recipe, double PublishedTestAccuracy)
{
    /// <summary>The training accuracy the notebook printed; NaN where it printed none.</summary>
    public double PublishedTrainAccuracy { get; init; } = double.NaN;

    /// <summary>The experiment whose trained model this one continues (a warm start), if any.</summary>
    public int? Continues { get; init; }

    /// <summary>The six, in the notebook's order, with its exact settings.</summary>
    public static IReadOnlyList<NotebookExperiment> All { get; } =
    [
        new(1, "50 hidden, raw pixels", new NotebookRecipe([50], NotebookInput.Raw, 300, 0.001), 0.92) { PublishedTrainAccuracy = 0.912 },
        new(2, "50 hidden, standardised", new NotebookRecipe([50], NotebookInput.Standardized, 300, 0.001), 0.95),
        new(3, "250 hidden, raw pixels", new NotebookRecipe([250], NotebookInput.Raw, 275, 0.001), 0.814),
        new(4, "3 continued, lr 0.0005", new NotebookRecipe([250], NotebookInput.Raw, 50, 0.0005), 0.95) { Continues = 3 },
        new(5, "250 hidden, standardised", new NotebookRecipe([250], NotebookInput.Standardized, 500, 0.001), 0.976),
        new(6, "deep [250, 50, 10], standardised", new NotebookRecipe([250, 50, 10], NotebookInput.Standardized, 500, 0.001), 0.984),
    ];
}
