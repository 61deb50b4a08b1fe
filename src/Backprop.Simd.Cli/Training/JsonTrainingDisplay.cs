using Backprop.Simd.Cli.Output;

namespace Backprop.Simd.Cli.Training;

/// <summary>
/// <c>--json</c>: one object per epoch with <c>epoch</c>, <c>loss</c>, <c>data_loss</c>, <c>seconds</c>,
/// <c>learning_rate</c>, <c>gradient_norm</c>, <c>validation_loss</c> and <c>validation_accuracy</c> with a
/// validation set, and <c>test_accuracy</c> with a test set. Nothing else goes to the output.
/// </summary>
internal sealed class JsonTrainingDisplay(TextWriter output) : TrainingDisplay
{
    public override void OnEpoch(EpochReport report) => JsonLines.Write(output, json =>
    {
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
}
