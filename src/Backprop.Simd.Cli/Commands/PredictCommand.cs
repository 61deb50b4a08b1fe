using System.CommandLine;
using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Data;
using Backprop.Simd.Cli.Images;
using Backprop.Simd.Cli.Models;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Data;
using Backprop.Simd.Models;
using Backprop.Simd.Numerics;
using Spectre.Console;

namespace Backprop.Simd.Cli.Commands;

/// <summary>
/// <c>backprop predict --model M --index N | --image FILE</c>: the class probabilities of one test sample or one
/// picture (the network's logits through softmax, or the network's own output when it ends in a softmax).
/// </summary>
internal sealed class PredictCommand
{
    private readonly Option<string> _model = new("--model") { Description = "The model file written by backprop train or backprop import.", Required = true, HelpName = "PATH" };
    private readonly Option<int?> _index = new("--index") { Description = "Predict this sample of the test set (from 0) of the model's data set, or of --dataset/--data.", HelpName = "N" };
    private readonly Option<string?> _image = new("--image") { Description = "Predict a picture: PNG (or JPEG, BMP, WebP, GIF) or PGM (P2/P5), turned grey, resized to the model's image size, inverted if its background is light.", HelpName = "FILE" };
    private readonly DataOptions _data = new();
    private readonly Option<bool> _json = OptionFactory.Json("one summary object: type \"summary\", input, predicted, class, label (for a test sample) and probabilities");

    public Command Create(CliConsole console)
    {
        var command = new Command("predict", "Print the class probabilities a model gives one test sample (--index) or one image file (--image).");
        command.Add(_model);
        command.Add(_index);
        command.Add(_image);
        _data.AddTo(command);
        command.Add(_json);
        command.SetAction(result =>
        {
            int? index = result.GetValue(_index);
            string? image = result.GetValue(_image);
            if ((index is null) == (image is null))
            {
                throw new ArgumentException("predict needs exactly one of --index N (a test sample) or --image FILE.");
            }

            var input = new Input(index, image, _data.Read(result), _data.IsGiven(result), _data.LimitGiven(result), result.GetValue(_json));
            return ModelLoader.Run(result.GetValue(_model)!, m => Predict(console, m, input), m => Predict(console, m, input));
        });
        return command.WithExamples(
            new("backprop predict -m digits.bpm --index 7", "Test sample 7 of the model's data set, with its label."),
            new("backprop predict -m digits.bpm --image seven.png --json", "A picture (dark ink on paper is inverted), as JSON."));
    }

    private static int Predict<T>(CliConsole console, LoadedModel<T> model, Input input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (T[] features, int label, string what, string sample) = input.Image is null ? FromDataSet(model, input) : FromImage(model, input.Image);
        Matrix<T> output = model.Model.Predict(new Matrix<T>(1, features.Length, features));
        ModelChecks.CheckFinite(output, model.Path, _ => sample);
        var probabilities = new T[output.Columns];
        if (model.Metadata.Classifier.Output == ClassifierOutput.Probabilities)
        {
            output.Row(0).CopyTo(probabilities);
        }
        else
        {
            Kernels.Softmax<T>(output.Row(0), probabilities);
        }

        int predicted = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<T>(probabilities);
        double[] p = [.. probabilities.Select(double.CreateTruncating)];

        if (input.Json)
        {
            JsonLines.Write(console.Out, w =>
            {
                w.WriteString("type", "summary");
                w.WriteString("input", what);
                w.WriteNumber("predicted", predicted);
                w.WriteString("class", model.Metadata.Classifier.ClassNames[predicted]);
                if (label >= 0)
                {
                    w.WriteNumber("label", label);
                }

                w.WriteStartArray("probabilities");
                foreach (double value in p)
                {
                    w.WriteNumberValue(value);
                }

                w.WriteEndArray();
            });
            return ExitCodes.Success;
        }

        console.Out.WriteLine(model.Describe());
        console.Out.WriteLine($"input: {what}");
        var chart = new BarChart().Width(72).WithMaxValue(1);
        for (int c = 0; c < p.Length; c++)
        {
            chart.AddItem(Markup.Escape(model.Metadata.Label(c)), Math.Round(p[c], 4), c == predicted ? Color.Green : Color.Grey);
        }

        console.Spectre.Write(chart);
        string verdict = label < 0 ? string.Empty : label == predicted ? " (right)" : $" (wrong: the label is {model.Metadata.Label(label)})";
        console.Out.WriteLine($"predicted: {model.Metadata.Label(predicted)}, probability {Format.Percent(p[predicted])}{verdict}");
        return ExitCodes.Success;
    }

    private static (T[] Features, int Label, string What, string Sample) FromDataSet<T>(LoadedModel<T> model, Input input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LoadedData<T> data = DataLoader.Load<T>(model.Metadata.Resolve(input.Data, input.DataGiven, input.LimitGiven), model.Metadata.Scaling);
        (Dataset<T> set, string which) = data.Test is null ? (data.Train, "training") : (data.Test, "test");
        ModelChecks.CheckNotEmpty(set, which, data.Description);
        ModelChecks.CheckFits(model.Model.Network, set, model.Path, model.Metadata.DataHint(input.DataGiven));
        int index = input.Index!.Value;
        if ((uint)index >= (uint)set.Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--index {index} is outside the {which} set of {set.Count:N0} samples (0 to {set.Count - 1})."));
        }

        string sample = string.Create(CultureInfo.InvariantCulture, $"{which} sample {index}");
        return (set.Features.Row(index).ToArray(), set.Labels[index], $"{sample} of {data.Description}, label {model.Metadata.Label(set.Labels[index])}", sample);
    }

    private static (T[] Features, int Label, string What, string Sample) FromImage<T>(LoadedModel<T> model, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The metadata's shape has the network's input size: ClassifierMetadata.Read checks it.
        int rows = model.Metadata.Classifier.ImageShape.Rows, columns = model.Metadata.Classifier.ImageShape.Columns;
        (byte[] pixels, bool inverted) = ImageLoader.Load(path, rows, columns);
        T scale = model.Metadata.Scaling == PixelScaling.Raw ? T.One : T.CreateChecked(255);
        T[] features = [.. pixels.Select(b => T.CreateChecked(b) / scale)];
        return (features, -1, $"{path}, grey, resized to {columns}x{rows}{(inverted ? ", inverted (dark ink on a light background)" : string.Empty)}", $"the image '{path}'");
    }

    private sealed record Input(int? Index, string? Image, DataRequest Data, bool DataGiven, bool LimitGiven, bool Json);
}
