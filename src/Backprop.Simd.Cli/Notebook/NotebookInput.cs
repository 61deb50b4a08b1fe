namespace Backprop.Simd.Cli.Notebook;

/// <summary>How the notebook gives the pixels to a network.</summary>
internal enum NotebookInput
{
    /// <summary>The bytes 0-255 as they are.</summary>
    Raw,

    /// <summary>
    /// Standardised by <c>sklearn.preprocessing.scale</c>, which the notebook calls on the training set and on the test
    /// set separately, so each is standardised with its own mean and deviation.
    /// </summary>
    Standardized,
}
