using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Backprop.Simd.Cli.Data;
using Backprop.Simd.Cli.Models;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Data;
using Backprop.Simd.Metrics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Cli.Commands;

/// <summary><c>backprop eval --model M</c>: the library's <see cref="ClassificationReport"/> (accuracy, confusion matrix, per-class precision, recall and F1 with their averages) on a test set.</summary>
internal sealed class EvalCommand
{
    private readonly Option<string> _model = new("--model") { Description = "The model file written by backprop train or backprop import.", Required = true, HelpName = "PATH" };
    private readonly DataOptions _data = new();
    private readonly Option<bool> _json = OptionFactory.Json("one summary object: type \"summary\", model, data, set, samples, accuracy, confusion (rows: true class, columns: predicted), classes (name, precision, recall, f1, support), macro_avg and weighted_avg (precision, recall, f1)");

    public Command Create(CliConsole console)
    {
        var command = new Command("eval", "Evaluate a model on the test set of its data set (or of --dataset/--data): accuracy, confusion matrix, per-class precision, recall and F1 with their macro and weighted averages.");
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
                m => Evaluate(console, m, m.Metadata.Resolve(given, dataGiven, limitGiven), m.Metadata.DataHint(dataGiven), json),
                m => Evaluate(console, m, m.Metadata.Resolve(given, dataGiven, limitGiven), m.Metadata.DataHint(dataGiven), json));
        });
        return command.WithExamples(
            new("backprop eval -m digits.bpm", "On the test set of the data the model was trained on."),
            new("backprop eval -m digits.bpm -d ~/mnist --json", "On the t10k-* files in ~/mnist, as one JSON object."));
    }

    private static int Evaluate<T>(CliConsole console, LoadedModel<T> model, DataRequest request, string dataHint, bool json)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LoadedData<T> data = DataLoader.Load<T>(request, model.Metadata.Scaling);
        (Dataset<T> set, string which) = data.Test is null ? (data.Train, "training set (the data has no test set)") : (data.Test, "test set");
        ModelChecks.CheckNotEmpty(set, data.Test is null ? "training" : "test", data.Description);
        ModelChecks.CheckFits(model.Model.Network, set, model.Path, dataHint);

        Matrix<T> outputs = model.Model.Predict(set.Features);
        ModelChecks.CheckFinite(outputs, model.Path, row => string.Create(CultureInfo.InvariantCulture, $"{(data.Test is null ? "training" : "test")} sample {row}"));
        var predicted = new int[set.Count];
        Kernels.ArgMaxRows<T>(outputs, predicted);
        ClassificationReport report = ClassificationReport.Create(set.Labels, predicted, model.Model.Network.OutputSize);
        if (json)
        {
            WriteJson(console, model, data, report);
            return ExitCodes.Success;
        }

        console.Out.WriteLine(model.Describe());
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data: {data.Description}; {which} of {set.Count:N0} samples"));
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy {Format.Percent(report.Accuracy)} ({report.Confusion.CorrectCount:N0} of {report.SampleCount:N0})"));

        int classes = report.ClassCount;
        console.Out.WriteLine("confusion matrix (rows: true class, columns: predicted class)");
        var matrix = TextTable.Create([@"true \ predicted", .. Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture))]);
        for (int c = 0; c < classes; c++)
        {
            matrix.AddTextRow([model.Metadata.Label(c), .. report.Confusion.Row(c).ToArray().Select(n => n.ToString(CultureInfo.InvariantCulture))]);
        }

        console.Spectre.Write(matrix);
        console.Out.WriteLine("per class (0 where a class is never predicted or has no samples, as scikit-learn's zero_division=0)");
        var perClass = TextTable.Create("class", "precision", "recall", "F1", "support");
        void Row(string name, ClassificationScores s) =>
            perClass.AddTextRow(name, Format.Percent(s.Precision), Format.Percent(s.Recall), Format.Percent(s.F1), s.Support.ToString(CultureInfo.InvariantCulture));
        for (int c = 0; c < classes; c++)
        {
            Row(model.Metadata.Label(c), report.Classes[c]);
        }

        Row("macro average", report.MacroAverage);
        Row("weighted average", report.WeightedAverage);
        console.Spectre.Write(perClass);
        return ExitCodes.Success;
    }

    private static void WriteJson<T>(CliConsole console, LoadedModel<T> model, LoadedData<T> data, ClassificationReport report)
        where T : unmanaged, IFloatingPointIeee754<T> => JsonLines.Write(console.Out, w =>
        {
            w.WriteString("type", "summary");
            w.WriteString("model", model.Path);
            w.WriteString("data", data.Description);
            w.WriteString("set", data.Test is null ? "train" : "test");
            w.WriteNumber("samples", report.SampleCount);
            w.WriteNumber("accuracy", report.Accuracy);
            w.WriteStartArray("confusion");
            for (int c = 0; c < report.ClassCount; c++)
            {
                w.WriteStartArray();
                foreach (int count in report.Confusion.Row(c))
                {
                    w.WriteNumberValue(count);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteStartArray("classes");
            for (int c = 0; c < report.ClassCount; c++)
            {
                w.WriteStartObject();
                w.WriteString("name", model.Metadata.Classifier.ClassNames[c]);
                WriteScores(w, report.Classes[c]);
                w.WriteNumber("support", report.Classes[c].Support);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("macro_avg");
            WriteScores(w, report.MacroAverage);
            w.WriteEndObject();
            w.WriteStartObject("weighted_avg");
            WriteScores(w, report.WeightedAverage);
            w.WriteEndObject();
        });

    private static void WriteScores(Utf8JsonWriter w, ClassificationScores scores)
    {
        w.WriteNumber("precision", scores.Precision);
        w.WriteNumber("recall", scores.Recall);
        w.WriteNumber("f1", scores.F1);
    }
}
