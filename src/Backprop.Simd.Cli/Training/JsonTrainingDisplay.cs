using Backprop.Simd.Cli.Output;

namespace Backprop.Simd.Cli.Training;

/// <summary>
/// <c>--json</c>: one object per epoch (<see cref="EpochObject"/>), then one summary object
/// (<see cref="SummaryObject"/>). Nothing else goes to the output.
/// </summary>
internal sealed class JsonTrainingDisplay(TextWriter output) : TrainingDisplay
{
    /// <summary>What <c>train --help</c> says of an epoch's object.</summary>
    public const string EpochObject = "type \"epoch\", epoch, loss, data_loss, seconds, learning_rate, gradient_norm, with a validation set validation_loss and validation_accuracy, with a test set test_accuracy";

    /// <summary>What <c>train --help</c> says of the summary object.</summary>
    public const string SummaryObject = "type \"summary\", epochs (all the model has trained, a resumed run's earlier ones included), epochs_run, seconds, loss, validation_loss and validation_accuracy (of the last epoch, with a validation set), test_accuracy and test_samples (with a test set), stopped_early, best_epoch (with early stopping), model (the file saved, or null) and cancelled";

    public override void OnEpoch(EpochReport report) => JsonLines.Write(output, json =>
    {
        json.WriteString("type", "epoch");
        json.WriteNumber("epoch", report.Metrics.Epoch);
        json.WriteNumberOrNull("loss", report.Metrics.Loss);
        json.WriteNumberOrNull("data_loss", report.Metrics.DataLoss);
        json.WriteNumber("seconds", report.Metrics.Seconds);
        json.WriteNumber("learning_rate", report.Metrics.LearningRate);
        json.WriteNumberOrNull("gradient_norm", report.Metrics.GradientNorm);
        if (report.HasValidation)
        {
            json.WriteNumberOrNull("validation_loss", report.Metrics.ValidationLoss);
            json.WriteNumberOrNull("validation_accuracy", report.Metrics.ValidationAccuracy);
        }

        if (!double.IsNaN(report.TestAccuracy))
        {
            json.WriteNumber("test_accuracy", report.TestAccuracy);
        }
    });

    public override void Note(string text)
    {
    }

    public override void Finish(TrainingSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        JsonLines.Write(output, json =>
        {
            json.WriteString("type", "summary");
            json.WriteNumber("epochs", summary.History.Count);
            json.WriteNumber("epochs_run", summary.EpochsRun);
            json.WriteNumber("seconds", summary.Seconds);
            if (summary.Last is { } last)
            {
                json.WriteNumberOrNull("loss", last.Loss);
                if (summary.HasValidation)
                {
                    json.WriteNumberOrNull("validation_loss", last.ValidationLoss);
                    json.WriteNumberOrNull("validation_accuracy", last.ValidationAccuracy);
                }
            }

            if (summary.TestSamples > 0)
            {
                json.WriteNumberOrNull("test_accuracy", summary.TestAccuracy);
                json.WriteNumber("test_samples", summary.TestSamples);
            }

            json.WriteBoolean("stopped_early", summary.History.StoppedEarly);
            if (summary.EarlyStoppingPatience > 0)
            {
                json.WriteNumber("best_epoch", summary.History.BestEpoch);
            }

            if (summary.ModelPath is null)
            {
                json.WriteNull("model");
            }
            else
            {
                json.WriteString("model", summary.ModelPath);
            }

            json.WriteBoolean("cancelled", summary.Cancelled);
        });
    }
}
