using System.CommandLine;
using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Models;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Models;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Cli.Commands;

/// <summary>
/// <c>backprop export --model M --onnx OUT.onnx</c>: writes the model's network, with its standardisation in front, as
/// an ONNX model (the library's <see cref="OnnxExporter"/>) in the model's element type.
/// </summary>
internal sealed class ExportCommand
{
    // The range of operator sets that OnnxExportOptions<T>.OpsetVersion documents; checked here so that a wrong
    // --opset is a parse error naming the option rather than the library's message about OpsetVersion.
    private const int OldestOpset = 13;
    private const int NewestOpset = 23;

    /// <summary>The library's default opset (17), so that the tool writes what OnnxExporter writes unless told otherwise.</summary>
    private static readonly int s_defaultOpset = new OnnxExportOptions<float>().OpsetVersion;

    private readonly Option<string> _model = new("--model") { Description = "The model file written by backprop train or backprop import.", Required = true, HelpName = "PATH" };
    private readonly Option<string> _onnx = new("--onnx") { Description = "The ONNX file to write; replaced atomically.", Required = true, HelpName = "OUT.onnx" };
    private readonly Option<int> _opset = OptionFactory.Integer("--opset", $"The ONNX operator set version to declare, {OldestOpset} to {NewestOpset}.", s_defaultOpset, OldestOpset, NewestOpset);
    private readonly Option<bool> _noSoftmax = OptionFactory.Flag("--no-softmax", "Leave a classifier's output as logits instead of appending a Softmax that makes it class probabilities.");

    public Command Create(CliConsole console)
    {
        var command = new Command(
            "export",
            "Write a model as ONNX: input [batch x features] of pixels / 255 (the model's standardisation is inside the graph), output [batch x classes]. "
            + "A classifier whose network ends in logits (every model train writes) gets a Softmax appended, so the output is class probabilities, unless --no-softmax. "
            + "The element type is the model's (f32: FLOAT, f64: DOUBLE).");
        command.Add(_model);
        command.Add(_onnx);
        command.Add(_opset);
        command.Add(_noSoftmax);
        command.SetAction(result =>
        {
            var request = new Request(result.GetValue(_model)!, result.GetValue(_onnx)!, result.GetValue(_opset), result.GetValue(_noSoftmax));
            OutputFile.Check(request.OnnxPath, "--onnx", request.ModelPath);

            return ModelLoader.Run(request.ModelPath, m => Export(console, m, request), m => Export(console, m, request));
        });
        return command.WithExamples(
            new("backprop export -m digits.bpm --onnx digits.onnx", "Class probabilities out, the standardisation inside the graph."),
            new("backprop export -m digits.bpm --onnx logits.onnx --no-softmax --opset 13", "Logits out, for an older runtime."));
    }

    private static int Export<T>(CliConsole console, LoadedModel<T> model, Request request)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelChecks.CheckFiniteWeights(model.Model.Network, model.Path);
        bool logits = model.Metadata.Classifier.Output == ClassifierOutput.Logits;

        // A network that ends in its own Softmax (an imported one) has no logits output to leave: the library offers
        // no way to take a layer off a built network, and writing 'probabilities' under --no-softmax would ignore it.
        if (!logits && request.NoSoftmax)
        {
            throw new ArgumentException($"--no-softmax: the model '{model.Path}' already outputs probabilities (its network ends in a Softmax), so there is no softmax to leave out; export it without --no-softmax.");
        }

        bool appendSoftmax = logits && !request.NoSoftmax;
        string output = logits && !appendSoftmax ? "logits" : "probabilities";
        var options = new OnnxExportOptions<T>
        {
            Normalization = model.Model.Normalization,
            OutputName = output,
            OpsetVersion = request.Opset,
            AppendSoftmax = appendSoftmax,
            DocString = Describe(model, output),
        };
        OnnxExporter.Export(request.OnnxPath, model.Model.Network, options);

        string element = typeof(T) == typeof(double) ? "f64 (DOUBLE)" : "f32 (FLOAT)";
        string how = (appendSoftmax ? ", softmax appended" : string.Empty) + (options.Normalization is null ? string.Empty : ", standardisation included");
        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"wrote {request.OnnxPath}: {new FileInfo(request.OnnxPath).Length:N0} bytes, opset {request.Opset}, {element}, input '{options.InputName}' [batch x {model.Model.Network.InputSize}] → output '{output}' [batch x {model.Model.Network.OutputSize}]{how}"));
        return ExitCodes.Success;
    }

    /// <summary>The model's doc_string: what an ONNX consumer needs to feed it and read it, which the graph cannot say.</summary>
    private static string Describe<T>(LoadedModel<T> model, string output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelMetadata metadata = model.Metadata;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Exported by backprop from {Path.GetFileName(model.Path)} (data set {metadata.Dataset ?? "not recorded"}). Input: {metadata.Classifier.ImageShape} images, row by row, {metadata.ScalingDescription}. Output: {output} of the classes {string.Join(", ", metadata.Classifier.ClassNames)}.");
    }

    private sealed record Request(string ModelPath, string OnnxPath, int Opset, bool NoSoftmax);
}
