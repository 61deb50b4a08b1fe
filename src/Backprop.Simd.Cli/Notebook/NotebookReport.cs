using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Output;
using Spectre.Console;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>The replay's results: one table beside the notebook's figures, or one JSON object per experiment.</summary>
internal static class NotebookReport
{
    /// <summary>The table: every figure the notebook published, ours, the difference, and the properly standardised score.</summary>
    public static void WriteTable<T>(IAnsiConsole console, IReadOnlyList<ExperimentResult<T>> results)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var table = TextTable.Create("#", "experiment", "epochs", "notebook", "ours", "diff.", $"last {ExperimentResult<T>.RecentEpochs}", "fitted", "seconds");
        foreach (ExperimentResult<T> result in results)
        {
            NotebookExperiment experiment = result.Experiment;
            string epochs = (experiment.Continues is null ? string.Empty : "+") + Count(result.Epochs)
                + (result.Epochs == experiment.Recipe.Epochs ? string.Empty : " of " + Count(experiment.Recipe.Epochs));
            if (!double.IsNaN(experiment.PublishedTrainAccuracy))
            {
                table.AddTextRow(Count(experiment.Number), experiment.Title + " (training)", epochs, Format.Percent(experiment.PublishedTrainAccuracy), Format.Percent(result.TrainAccuracy), Points(result.TrainAccuracy - experiment.PublishedTrainAccuracy), string.Empty, string.Empty, string.Empty);
            }

            table.AddTextRow(
                Count(experiment.Number),
                experiment.Title,
                epochs,
                Format.Percent(experiment.PublishedTestAccuracy),
                Format.Percent(result.TestAccuracy),
                Points(result.Difference),
                Range(result.RecentRange),
                Format.Percent(result.FittedTestAccuracy),
                Format.Fixed(result.Seconds, 1));
        }

        console.Write(table);
    }

    /// <summary>What the table's columns mean.</summary>
    public static void WriteLegend(TextWriter output, int testCount)
    {
        output.WriteLine($"notebook: the accuracy the notebook printed on its {testCount} held-out digits (for experiment 1 also on its training digits). diff.: ours minus the notebook's, in percentage points; one test digit is {100.0 / testCount:0.##}.");
        output.WriteLine($"last {ExperimentResult<double>.RecentEpochs}: our lowest and highest test accuracy over the last {ExperimentResult<double>.RecentEpochs} epochs. fitted: the same model, with the test digits standardised with the training set's mean and deviation instead of their own (the notebook's quirk).");
    }

    /// <summary>
    /// One experiment's object, on one line: <c>experiment</c>, <c>title</c>, <c>hidden</c>, <c>input</c>,
    /// <c>epochs</c>, <c>learning_rate</c>, <c>continues</c> (a warm start), <c>published</c>, <c>test_accuracy</c>,
    /// <c>difference</c>, <c>test_accuracy_range_last_25</c> (the lowest and highest test accuracy of the last 25
    /// epochs), <c>test_accuracy_fitted</c> (standardised inputs), <c>published_train</c> (experiment 1),
    /// <c>train_accuracy</c>, <c>final_error</c> and <c>seconds</c>. Accuracies are fractions.
    /// </summary>
    public static void WriteJson<T>(TextWriter output, ExperimentResult<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NotebookExperiment experiment = result.Experiment;
        JsonLines.Write(output, json =>
        {
            json.WriteNumber("experiment", experiment.Number);
            json.WriteString("title", experiment.Title);
            json.WriteStartArray("hidden");
            foreach (int width in experiment.Recipe.Hidden)
            {
                json.WriteNumberValue(width);
            }

            json.WriteEndArray();
            json.WriteString("input", experiment.Recipe.Input == NotebookInput.Raw ? "raw" : "standardised");
            json.WriteNumber("epochs", result.Epochs);
            json.WriteNumber("learning_rate", experiment.Recipe.LearningRate);
            if (experiment.Continues is int continued)
            {
                json.WriteNumber("continues", continued);
            }

            json.WriteNumber("published", experiment.PublishedTestAccuracy);
            json.WriteNumberOrNull("test_accuracy", result.TestAccuracy);
            json.WriteNumberOrNull("difference", result.Difference);
            json.WriteStartArray("test_accuracy_range_last_" + ExperimentResult<T>.RecentEpochs.ToString(CultureInfo.InvariantCulture));
            json.WriteNumberValue(result.RecentRange.Low);
            json.WriteNumberValue(result.RecentRange.High);
            json.WriteEndArray();
            if (!double.IsNaN(result.FittedTestAccuracy))
            {
                json.WriteNumber("test_accuracy_fitted", result.FittedTestAccuracy);
            }

            if (!double.IsNaN(experiment.PublishedTrainAccuracy))
            {
                json.WriteNumber("published_train", experiment.PublishedTrainAccuracy);
            }

            json.WriteNumberOrNull("train_accuracy", result.TrainAccuracy);
            json.WriteNumberOrNull("final_error", result.History.Count == 0 ? double.NaN : result.History[^1].Loss);
            json.WriteNumber("seconds", Math.Round(result.Seconds, 3));
        });
    }

    /// <summary>"89.60–92.40%".</summary>
    private static string Range((double Low, double High) range) => Format.Fixed(range.Low * 100, 2) + "–" + Format.Percent(range.High);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A difference of two fractions in percentage points, signed: "+0.40".</summary>
    private static string Points(double difference) => double.IsNaN(difference) ? "n/a" : (difference * 100).ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);
}
