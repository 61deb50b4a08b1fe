namespace Backprop.Simd.Cli.Data;

/// <summary>Where <c>train</c>, <c>eval</c> and <c>predict</c> take their digits or images from.</summary>
internal enum DatasetKind
{
    /// <summary>The 10,000 MNIST digits embedded in the tool; shuffled with seed 42, the first 500 are the test set (as in the notebook).</summary>
    Mnist10k,

    /// <summary>Fashion-MNIST, found through <c>--data</c>, <c>$BACKPROP_DATA</c> or the system directory.</summary>
    FashionMnist,

    /// <summary>A directory of IDX files: <c>train-images*</c> and <c>train-labels*</c>, optionally <c>t10k-images*</c> and <c>t10k-labels*</c>.</summary>
    Idx,
}
