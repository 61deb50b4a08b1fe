using System.CommandLine;
using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Data;
using Backprop.Simd.Cli.Models;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Data;
using Backprop.Simd.Numerics;
using Backprop.Simd.Numerics.Kernels;

namespace Backprop.Simd.Cli.Commands;

/// <summary><c>backprop eval --model M</c>: accuracy, confusion matrix and per-class precision and recall on a test set.</summary>
internal sealed class EvalCommand
{
    private readonly Option<string> _model = new("--model") { Description = "The model file written by backprop train or backprop import.", Required = true, HelpName = "PATH" };
    private readonly DataOptions _data = new();
    private readonly Option<bool> _json = OptionFactory.Json("the accuracy, confusion matrix and per-class figures in one object");

    public Command Create(CliConsole console)
    {
        var command = new Command("eval", "Evaluate a model on the test set of its data set (or of --dataset/--data): accuracy, confusion matrix, per-class precision and recall.");
        command.Add(_model);
        _data.AddTo(command);
        command.Add(_json);
        command.SetAction(result =>
        {
            string path = result.GetValue(_model)!;
            DataRequest given = _data.Read(result);
            bool dataGiven = _data.IsGiven(result), limitGiven = _data.LimitGiven(result), json = result.GetValue(_json);
            return ModelLoader.Run(
                path,
                m => Evaluate(console, m, m.Metadata.Resolve(given, dataGiven, limitGiven), json),
                m => Evaluate(console, m, m.Metadata.Resolve(given, dataGiven, limitGiven), json));
        });
        return command;
    }

    private static int Evaluate<T>(CliConsole console, LoadedModel<T> model, DataRequest request, bool json)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LoadedData<T> data = DataLoader.Load<T>(request, PixelScaling.UnitInterval);
        (Dataset<T> set, string which) = data.Test is null ? (data.Train, "training set (the data has no test set)") : (data.Test, "test set");
        ModelChecks.CheckNotEmpty(set, data.Test is null ? "training" : "test", data.Description);
        ModelChecks.CheckFits(model.Model.Network, set, model.Path);

        Matrix<T> outputs = model.Model.Predict(set.Features);
        ModelChecks.CheckFinite(outputs, model.Path, row => string.Create(CultureInfo.InvariantCulture, $"{(data.Test is null ? "training" : "test")} sample {row}"));
        var predicted = new int[set.Count];
        Kernels.ArgMaxRows<T>(outputs, predicted);
        int classes = model.Model.Network.OutputSize;
        var confusion = new int[classes, classes];
        for (int i = 0; i < predicted.Length; i++)
        {
            confusion[set.Labels[i], predicted[i]]++;
        }

        int correct = Enumerable.Range(0, classes).Sum(c => confusion[c, c]);
        double accuracy = (double)correct / set.Count;
        int[] support = [.. Enumerable.Range(0, classes).Select(c => Enumerable.Range(0, classes).Sum(p => confusion[c, p]))];
        int[] predictedCount = [.. Enumerable.Range(0, classes).Select(p => Enumerable.Range(0, classes).Sum(c => confusion[c, p]))];
        double Ratio(int part, int whole) => whole == 0 ? double.NaN : (double)part / whole;

        if (json)
        {
            JsonLines.Write(console.Out, w =>
            {
                w.WriteString("model", model.Path);
                w.WriteString("data", data.Description);
                w.WriteString("set", data.Test is null ? "train" : "test");
                w.WriteNumber("samples", set.Count);
                w.WriteNumber("accuracy", accuracy);
                w.WriteStartArray("confusion");
                for (int c = 0; c < classes; c++)
                {
                    w.WriteStartArray();
                    for (int p = 0; p < classes; p++)
                    {
                        w.WriteNumberValue(confusion[c, p]);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteStartArray("classes");
                for (int c = 0; c < classes; c++)
                {
                    w.WriteStartObject();
                    w.WriteString("name", model.Metadata.ClassNames[c]);
                    w.WriteNumberOrNull("precision", Ratio(confusion[c, c], predictedCount[c]));
                    w.WriteNumberOrNull("recall", Ratio(confusion[c, c], support[c]));
                    w.WriteNumber("support", support[c]);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return ExitCodes.Success;
        }

        console.Out.WriteLine(model.Describe());
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data: {data.Description}; {which} of {set.Count:N0} samples"));
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy {Format.Percent(accuracy)} ({correct:N0} of {set.Count:N0})"));

        console.Out.WriteLine("confusion matrix (rows: true class, columns: predicted class)");
        var matrix = TextTable.Create([@"true \ predicted", .. Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture))]);
        for (int c = 0; c < classes; c++)
        {
            matrix.AddTextRow([model.Metadata.Label(c), .. Enumerable.Range(0, classes).Select(p => confusion[c, p].ToString(CultureInfo.InvariantCulture))]);
        }

        console.Spectre.Write(matrix);
        var perClass = TextTable.Create("class", "precision", "recall", "support");
        for (int c = 0; c < classes; c++)
        {
            perClass.AddTextRow(model.Metadata.Label(c), Format.Percent(Ratio(confusion[c, c], predictedCount[c])), Format.Percent(Ratio(confusion[c, c], support[c])), support[c].ToString(CultureInfo.InvariantCulture));
        }

        console.Spectre.Write(perClass);
        return ExitCodes.Success;
    }
}
