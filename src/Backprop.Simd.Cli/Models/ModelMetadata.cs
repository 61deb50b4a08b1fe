using System.Globalization;
using Backprop.Simd.Cli.Data;

namespace Backprop.Simd.Cli.Models;

/// <summary>
/// What <c>train</c> records in a model file's metadata so that <c>eval</c>, <c>predict</c> and <c>--resume</c> treat
/// the model as it was trained: the data set, the class names, the pixel scaling, the image shape, the loss, and
/// the output kind (a trained classifier's network ends in logits, to which <c>predict</c> applies softmax; a model
/// imported from ONNX may end in a softmax of its own and give probabilities).
/// </summary>
/// <param name="Dataset">The data set's name (mnist10k, fashion-mnist, idx).</param>
/// <param name="DataDirectory">The --data directory it was read from, if any.</param>
/// <param name="Limit">The --limit it was trained with; 0 for all samples.</param>
/// <param name="ClassNames">The name of each output, by class.</param>
/// <param name="ImageRows">The height of an input image.</param>
/// <param name="ImageColumns">The width of an input image.</param>
/// <param name="Loss">softmax or sigmoid: the output layer the network was trained with.</param>
/// <param name="Output">What the network outputs: <see cref="LogitsOutput"/> or <see cref="ProbabilitiesOutput"/>.</param>
internal sealed record ModelMetadata(string Dataset, string? DataDirectory, int Limit, IReadOnlyList<string> ClassNames, int ImageRows, int ImageColumns, string Loss, string Output = ModelMetadata.LogitsOutput)
{
    /// <summary>Raw scores, turned into probabilities by softmax: what train's networks output.</summary>
    public const string LogitsOutput = "logits";

    /// <summary>Class probabilities: the network ends in a softmax layer (an imported model's may), so nothing is applied on top.</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>
    /// The data set of a model imported without <c>--dataset</c> or <c>--data</c> whose shape the default (mnist10k)
    /// does not fit: eval and predict --index then need the data named. The file format requires a data set entry,
    /// and this name is none that <c>--dataset</c> accepts.
    /// </summary>
    public const string NoDataset = "none";

    /// <summary>Pixels divided by 255, before the model's standardisation if it has one.</summary>
    public const string UnitScaling = "pixel/255";

    private const string DatasetKey = "dataset";
    private const string DataDirectoryKey = "data_directory";
    private const string LimitKey = "data_limit";
    private const string ClassesKey = "classes";
    private const string ImageShapeKey = "image_shape";
    private const string LossKey = "loss";
    private const string OutputKey = "output";
    private const string ScalingKey = "input_scaling";
    private const string ToolKey = "created_by";

    /// <summary>
    /// The data a command on this model uses: the data set and directory it was trained on unless the user named
    /// others, and its --limit unless the user gave one.
    /// </summary>
    /// <param name="given">What the command line asked for.</param>
    /// <param name="dataGiven">Whether --dataset or --data was given.</param>
    /// <param name="limitGiven">Whether --limit was given.</param>
    /// <exception cref="ArgumentException">The model records no data set and none was given.</exception>
    public DataRequest Resolve(DataRequest given, bool dataGiven, bool limitGiven)
    {
        ArgumentNullException.ThrowIfNull(given);
        if (!dataGiven && Dataset == NoDataset)
        {
            throw new ArgumentException("The model records no data set (it was imported without one, and mnist10k does not fit it); name its data with --dataset or --data.");
        }

        // The model declares the classes: a label beyond them is refused where it is read.
        int limit = limitGiven ? given.Limit : Limit;
        return (dataGiven ? given with { Limit = limit } : DataRequest.Create(Dataset, DataDirectory, limit)) with { Classes = ClassNames.Count };
    }

    /// <summary>A class as tables show it: its number, and its name when that is not just the number.</summary>
    public string Label(int index) =>
        ClassNames[index] == index.ToString(CultureInfo.InvariantCulture) ? ClassNames[index] : $"{index} {ClassNames[index]}";

    /// <summary>Writes the entries.</summary>
    public void WriteTo(IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        metadata[DatasetKey] = Dataset;
        if (DataDirectory is not null)
        {
            metadata[DataDirectoryKey] = Path.GetFullPath(DataDirectory);
        }

        if (Limit > 0)
        {
            metadata[LimitKey] = Limit.ToString(CultureInfo.InvariantCulture);
        }

        // Class names never contain a line break; one per line keeps commas in names ("T-shirt/top") intact.
        metadata[ClassesKey] = string.Join('\n', ClassNames);
        metadata[ImageShapeKey] = string.Create(CultureInfo.InvariantCulture, $"{ImageRows}x{ImageColumns}");
        metadata[LossKey] = Loss;
        metadata[OutputKey] = Output;
        metadata[ScalingKey] = UnitScaling;
        metadata[ToolKey] = "backprop " + typeof(ModelMetadata).Assembly.GetName().Version?.ToString(3);
    }

    /// <summary>Reads the entries of a model file written by <c>train</c>.</summary>
    /// <param name="metadata">The file's metadata.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="outputs">The network's output count: the number of classes.</param>
    /// <exception cref="NotSupportedException">The model was not written by <c>backprop train</c> or <c>backprop import</c>, or has an output kind or scaling the tool does not know.</exception>
    public static ModelMetadata Read(IReadOnlyDictionary<string, string> metadata, string path, int outputs)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string Get(string key) => metadata.TryGetValue(key, out string? value)
            ? value
            : throw new NotSupportedException($"The model file '{path}' has no '{key}' metadata: eval, predict and export read models written by backprop train or backprop import, --resume those of train.");

        string output = Get(OutputKey);
        if (output is not (LogitsOutput or ProbabilitiesOutput))
        {
            throw new NotSupportedException($"The model file '{path}' has output kind '{output}'; backprop reads classifiers whose network ends in '{LogitsOutput}' or '{ProbabilitiesOutput}'.");
        }

        string scaling = Get(ScalingKey);
        if (scaling != UnitScaling)
        {
            throw new NotSupportedException($"The model file '{path}' expects inputs scaled as '{scaling}'; backprop knows '{UnitScaling}'.");
        }

        string[] classes = Get(ClassesKey).Split('\n');
        if (classes.Length != outputs)
        {
            throw new NotSupportedException($"The model file '{path}' names {classes.Length} classes but its network has {outputs} outputs.");
        }

        string[] shape = Get(ImageShapeKey).Split('x');
        if (shape.Length != 2 || !int.TryParse(shape[0], CultureInfo.InvariantCulture, out int rows) || !int.TryParse(shape[1], CultureInfo.InvariantCulture, out int columns) || rows <= 0 || columns <= 0)
        {
            throw new NotSupportedException($"The model file '{path}' has image shape '{Get(ImageShapeKey)}'; expected ROWSxCOLUMNS.");
        }

        int limit = 0;
        if (metadata.TryGetValue(LimitKey, out string? limitText) && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit <= 0))
        {
            throw new NotSupportedException($"The model file '{path}' has data limit '{limitText}'; expected a positive number.");
        }

        return new ModelMetadata(Get(DatasetKey), metadata.GetValueOrDefault(DataDirectoryKey), limit, classes, rows, columns, Get(LossKey), output);
    }
}
