using System.CommandLine;
using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Data;
using Backprop.Simd.Cli.Models;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Serialization;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Cli.Commands;

/// <summary>
/// <c>backprop import ONNX --out M.bpm</c>: reads an ONNX multilayer perceptron with the library's
/// <see cref="OnnxImporter"/> and saves it as a model file with the metadata train writes, so eval and predict take it.
/// </summary>
internal sealed class ImportCommand
{
    private readonly Argument<string> _onnx = new("onnx") { Description = $"The ONNX model: a chain of the operators {string.Join(", ", OnnxImporter.SupportedOperators)} (docs/onnx.md says where each may stand)." };
    private readonly Option<string> _out = new("--out") { Description = "The model file to write; replaced atomically.", Required = true, HelpName = "PATH" };
    private readonly Option<string> _dtype = OptionFactory.ElementType();
    private readonly Option<string?> _imageShape = new("--image-shape") { Description = "The image each input row is, for predict --image: ROWSxCOLUMNS, their product the model's input size. Default: a square when the input size is one (784: 28x28), else 1xINPUTS.", HelpName = "ROWSxCOLUMNS" };
    private readonly Option<string?> _classes = new("--classes") { Description = "The class names, separated by commas, one per output; or their number N, which must be the output count. Default: the data set's names (fashion-mnist), else 0 to N-1.", HelpName = "N|NAME,NAME,..." };
    private readonly DataOptions _data = new();

    public Command Create(CliConsole console)
    {
        var command = new Command(
            "import",
            "Import an ONNX multilayer perceptron (such as torch.onnx.export writes) into a model file for eval and predict, which feed it pixels / 255, "
            + "then its standardisation if the graph has one. A model whose graph ends in Softmax is recorded as giving probabilities, so predict applies no second softmax; "
            + "one that ends in LogSoftmax (as PyTorch's MNIST classifiers do) as giving the logits before it, whose softmax predict shows. "
            + "--dataset, --data and --limit record the data eval and predict use by default, as train does; it must fit the model. "
            + "Without them mnist10k is recorded if it fits, else no data set.");
        command.Add(_onnx);
        command.Add(_out);
        command.Add(_dtype);
        command.Add(_imageShape);
        command.Add(_classes);
        _data.AddTo(command);
        command.SetAction(result =>
        {
            var request = new Request(result.GetValue(_onnx)!, result.GetValue(_out)!, result.GetValue(_imageShape), result.GetValue(_classes), _data.Read(result), _data.IsGiven(result));
            InputFile.ThrowIfMissing(request.OnnxPath, "The ONNX file");

            OutputFile.Check(request.ModelPath, "--out", request.OnnxPath);
            return result.GetValue(_dtype) == "f64" ? Import<double>(console, request) : Import<float>(console, request);
        });
        return command.WithExamples(
            new("backprop import mlp.onnx -o mlp.bpm", "A 784-input model (such as torch.onnx.export writes) for eval and predict on the embedded digits."),
            new("backprop import fashion.onnx -o fashion.bpm --dataset fashion-mnist", "With Fashion-MNIST's class names and data."));
    }

    private static int Import<T>(CliConsole console, Request request)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        OnnxImportResult<T> imported = OnnxImporter.Import<T>(request.OnnxPath);
        Network<T> network = imported.Network;
        ImageShape shape = ImageShapeFor(request.ImageShape, network.InputSize);
        string[] classes = ClassNames(request.Classes, request.Data, network.OutputSize);
        (string dataset, string dataNote) = DataSet(request, network);

        // Softmax is the one ending that makes the outputs probabilities that sum to 1; anything else (a Dense layer's
        // logits, a Sigmoid's independent scores, or the logits before a LogSoftmax, which the network ends in) goes
        // through predict's softmax as train's models do.
        bool probabilities = network.Layers[^1] is Softmax<T>;
        string output = probabilities ? "probabilities" : "logits";
        var classifier = new ClassifierMetadata(classes, shape)
        {
            InputScaling = PixelScaling.UnitInterval,
            Output = probabilities ? ClassifierOutput.Probabilities : ClassifierOutput.Logits,
        };
        var metadata = new ModelMetadata(classifier, dataset, dataset == ModelMetadata.NoDataset ? null : request.Data.Directory, request.Data.Limit);
        var model = new SavedModel<T>(network, imported.Normalization);
        metadata.WriteTo(model);
        model.Metadata["onnx_source"] = Path.GetFullPath(request.OnnxPath);
        model.Metadata["onnx_opset"] = imported.OpsetVersion.ToString(CultureInfo.InvariantCulture);
        if (imported.ProducerName is not null)
        {
            model.Metadata["onnx_producer"] = imported.ProducerName;
        }

        ModelFile.Save(request.ModelPath, model);

        console.Out.WriteLine($"imported {request.OnnxPath}: producer {imported.ProducerName ?? "not named"}, opset {imported.OpsetVersion}, input '{imported.InputName}' → output '{imported.OutputName}'");
        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"saved {request.ModelPath}: {network.InputSize} → {network.OutputSize}, {(typeof(T) == typeof(double) ? "f64" : "f32")}, {network.Layers.Count} layers, {network.ParameterCount:N0} parameters, output {output}{(probabilities ? " (the graph ends in Softmax)" : imported.LogSoftmaxOutput ? " (the graph's LogSoftmax: predict applies softmax)" : " (predict applies softmax)")}"));
        foreach (Layer<T> layer in network.Layers)
        {
            console.Out.WriteLine($"  {layer.Description}");
        }

        console.Out.WriteLine($"standardisation: {(imported.Normalization is null ? "none" : "from the graph")}; image shape {shape}; classes {string.Join(", ", classes)}; data set {dataset}{dataNote}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// The data set to record, loaded and checked against the network so that eval and predict can use it: the one
    /// named, or else mnist10k if it fits. A default that does not fit is no error, as a model of other data
    /// (another input size or more classes) must import too; it records <see cref="ModelMetadata.NoDataset"/>, and a
    /// note for the summary says why.
    /// </summary>
    /// <exception cref="ArgumentException">The data set named does not fit the network.</exception>
    private static (string Dataset, string Note) DataSet<T>(Request request, Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LoadedData<T> data;
        try
        {
            data = DataLoader.Load<T>(request.Data, PixelScaling.UnitInterval);
        }
        catch (FileNotFoundException) when (request.Data.Kind == DatasetKind.FashionMnist && request.Data.Directory is null)
        {
            // A machine that only predicts from pictures need not hold 70,000 images: the name is recorded unchecked.
            return (request.Data.Name, " (not checked: fashion-mnist is not on this machine; backprop data fetch fashion-mnist gets it)");
        }

        string? mismatch = ModelChecks.Mismatch(network, data.Test ?? data.Train);
        if (mismatch is null)
        {
            return (request.Data.Name, string.Empty);
        }

        if (request.DataGiven)
        {
            throw new ArgumentException($"The model '{request.OnnxPath}' {mismatch}: {data.Description} is not the data it was made for; name that with --dataset or --data, or leave them out.");
        }

        return (ModelMetadata.NoDataset, $" ({request.Data.Name}, the default, does not fit: the model {mismatch}; eval and predict --index need --dataset or --data)");
    }

    /// <summary>The <c>--image-shape</c> given, checked against the input size, or the default shape for it.</summary>
    private static ImageShape ImageShapeFor(string? text, int inputs)
    {
        if (text is null)
        {
            return ImageShape.For(inputs);
        }

        if (!ImageShape.TryParse(text, out ImageShape shape))
        {
            throw new ArgumentException($"--image-shape '{text}' is not ROWSxCOLUMNS of positive integers, such as 28x28.");
        }

        if (shape.PixelCount != inputs)
        {
            throw new ArgumentException($"--image-shape {shape} has {shape.PixelCount} pixels but the model takes {inputs} features.");
        }

        return shape;
    }

    /// <summary>One name per output: those of <c>--classes</c>, or numbers (for a count, or by default) with the data set's names where it has them.</summary>
    private static string[] ClassNames(string? text, DataRequest data, int outputs)
    {
        IReadOnlyList<string> known = data.Kind == DatasetKind.FashionMnist && outputs == FashionMnist.ClassCount ? FashionMnist.ClassNames : [];
        string[] Numbered() => [.. Enumerable.Range(0, outputs).Select(c => c < known.Count ? known[c] : c.ToString(CultureInfo.InvariantCulture))];
        if (text is null)
        {
            return Numbered();
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            return count == outputs ? Numbered() : throw new ArgumentException($"--classes {text}: the model has {outputs} outputs, one per class.");
        }

        string[] names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Length != outputs)
        {
            throw new ArgumentException($"--classes '{text}' names {names.Length} classes but the model has {outputs} outputs; give one name per output.");
        }

        // The model file keeps the names one per line.
        if (names.Any(n => n.Length == 0 || n.Contains('\n', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"--classes '{text}' has an empty name or a line break in a name.");
        }

        return names;
    }

    private sealed record Request(string OnnxPath, string ModelPath, string? ImageShape, string? Classes, DataRequest Data, bool DataGiven);
}
