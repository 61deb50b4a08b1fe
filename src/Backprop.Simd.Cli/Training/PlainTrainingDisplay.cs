using System.Globalization;
using System.Text;
using Backprop.Simd.Cli.Output;

namespace Backprop.Simd.Cli.Training;

/// <summary>Output redirected to a file or pipe: one line per epoch, no redrawing.</summary>
internal sealed class PlainTrainingDisplay(TextWriter output) : TrainingDisplay
{
    public override void OnEpoch(EpochReport report)
    {
        var line = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        line.Append(c, $"epoch {report.Metrics.Epoch}/{report.TotalEpochs}  loss {report.Metrics.Loss:G6}  lr {report.Metrics.LearningRate:G4}");
        if (report.HasValidation)
        {
            line.Append(c, $"  validation loss {report.Metrics.ValidationLoss:G6} accuracy {Format.Percent(report.Metrics.ValidationAccuracy)}");
        }

        if (!double.IsNaN(report.TestAccuracy))
        {
            line.Append(c, $"  test accuracy {Format.Percent(report.TestAccuracy)}");
        }

        line.Append(c, $"  {report.Metrics.Seconds:F2} s");
        output.WriteLine(line.ToString());
        output.Flush();
    }

    public override void Note(string text) => output.WriteLine(text);
}
