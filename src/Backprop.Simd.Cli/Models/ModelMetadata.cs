using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Data;
using Backprop.Simd.Data;
using Backprop.Simd.Models;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Cli.Models;

/// <summary>
/// What a model file tells the tool: the library's <see cref="ClassifierMetadata"/> (class names, image shape, input
/// scaling, output kind, loss), which every model file has or defaults, and what only the tool records: the data
/// set, directory and --limit it was trained on, so that <c>eval</c>, <c>predict</c> and <c>--resume</c> use that data.
/// </summary>
/// <param name="Classifier">The library's metadata.</param>
/// <param name="Dataset">The data set's name (mnist10k, fashion-mnist, idx, or <see cref="NoDataset"/>); null when the file records none (a model saved from code).</param>
/// <param name="DataDirectory">The --data directory it was read from, if any.</param>
/// <param name="Limit">The --limit it was trained with; 0 for all samples.</param>
internal sealed record ModelMetadata(ClassifierMetadata Classifier, string? Dataset, string? DataDirectory, int Limit)
{
    /// <summary>
    /// The data set of a model imported without <c>--dataset</c> or <c>--data</c> whose shape the default (mnist10k)
    /// does not fit: eval and predict --index then need the data named. It is none that <c>--dataset</c> accepts.
    /// </summary>
    public const string NoDataset = "none";

    private const string DatasetKey = "dataset";
    private const string DataDirectoryKey = "data_directory";
    private const string LimitKey = "data_limit";
    private const string ToolKey = "created_by";

    /// <summary>How the tool turns pixel bytes into this model's features: as recorded, else divided by 255 (the library's default for image data).</summary>
    public PixelScaling Scaling => Classifier.InputScaling ?? PixelScaling.UnitInterval;

    /// <summary>The scaling as the summaries say it, such as "pixels / 255" or "pixels / 255 (assumed: the model records no input scaling)".</summary>
    public string ScalingDescription => (Scaling == PixelScaling.Raw ? "pixel values 0-255" : "pixels / 255")
        + (Classifier.InputScaling is null ? " (assumed: the model records no input scaling)" : string.Empty);

    /// <summary>
    /// The data a command on this model uses: the data set and directory it was trained on unless the user named
    /// others (or the file records none: then the command's default), and its --limit unless the user gave one.
    /// </summary>
    /// <param name="given">What the command line asked for.</param>
    /// <param name="dataGiven">Whether --dataset or --data was given.</param>
    /// <param name="limitGiven">Whether --limit was given.</param>
    /// <exception cref="ArgumentException">The model records <see cref="NoDataset"/> and no data was given.</exception>
    public DataRequest Resolve(DataRequest given, bool dataGiven, bool limitGiven)
    {
        ArgumentNullException.ThrowIfNull(given);
        if (!dataGiven && Dataset == NoDataset)
        {
            throw new ArgumentException("The model records no data set (it was imported without one, and mnist10k does not fit it); name its data with --dataset or --data.");
        }

        // The model declares the classes: a label beyond them is refused where it is read.
        int limit = limitGiven ? given.Limit : Limit;
        DataRequest request = dataGiven || Dataset is null ? given with { Limit = limit } : DataRequest.Create(Dataset, DataDirectory, limit);
        return request with { Classes = Classifier.ClassCount };
    }

    /// <summary>The hint a mismatch between the model and the data it was given by default needs: the file named no data set.</summary>
    public string DataHint(bool dataGiven) => dataGiven || Dataset is not null
        ? string.Empty
        : "; the model file records no data set, so the default was used: name its data with --dataset or --data";

    /// <summary>A class as tables show it: its number, and its name when that is not just the number.</summary>
    public string Label(int index)
    {
        string name = Classifier.ClassNames[index];
        return name == index.ToString(CultureInfo.InvariantCulture) ? name : $"{index} {name}";
    }

    /// <summary>Writes the entries, the library's included, into <paramref name="model"/>'s metadata.</summary>
    public void WriteTo<T>(SavedModel<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        Classifier.WriteTo(model);
        IDictionary<string, string> metadata = model.Metadata;
        if (Dataset is not null)
        {
            metadata[DatasetKey] = Dataset;
        }

        if (DataDirectory is not null)
        {
            metadata[DataDirectoryKey] = Path.GetFullPath(DataDirectory);
        }

        if (Limit > 0)
        {
            metadata[LimitKey] = Limit.ToString(CultureInfo.InvariantCulture);
        }

        metadata[ToolKey] = "backprop " + typeof(ModelMetadata).Assembly.GetName().Version?.ToString(3);
    }

    /// <summary>Reads the entries of a model file: any the library or the tool wrote, the defaults for a model saved from code.</summary>
    /// <param name="model">The loaded model.</param>
    /// <param name="path">The file, for messages.</param>
    /// <exception cref="InvalidDataException">An entry is malformed, unknown to this version, or does not fit the network.</exception>
    public static ModelMetadata Read<T>(SavedModel<T> model, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ClassifierMetadata classifier;
        try
        {
            classifier = ClassifierMetadata.Read(model);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"The model file '{path}' holds no classifier backprop can use: {e.Message}", e);
        }

        IDictionary<string, string> metadata = model.Metadata;
        int limit = 0;
        if (metadata.TryGetValue(LimitKey, out string? limitText) && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit <= 0))
        {
            throw new InvalidDataException($"The model file '{path}' has data limit '{limitText}'; expected a positive number.");
        }

        return new ModelMetadata(classifier, metadata.TryGetValue(DatasetKey, out string? dataset) ? dataset : null, metadata.TryGetValue(DataDirectoryKey, out string? directory) ? directory : null, limit);
    }
}
