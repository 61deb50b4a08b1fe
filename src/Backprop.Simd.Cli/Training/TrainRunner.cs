using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Commands;
using Backprop.Simd.Cli.Data;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Data;
using Backprop.Simd.Models;
using Backprop.Simd.Numerics;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Training;

/// <summary>Runs <c>train</c>: load, scale, split, fit with progress, summarise.</summary>
internal static class TrainRunner
{
    public static int Run<T>(TrainSettings settings, CliConsole console, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (settings.EarlyStoppingPatience > 0 && settings.ValidationFraction == 0)
        {
            throw new ArgumentException("--early-stopping needs a validation set: add --validation-fraction, for example 0.1.");
        }

        MlpClassifierOptions options = settings.ToClassifierOptions();
        LoadedData<T> data = DataLoader.Load<T>(settings.Data, PixelScaling.UnitInterval);
        Matrix<T> features = data.Train.Features;
        Matrix<T>? testFeatures = data.Test?.Features;
        if (settings.Standardize)
        {
            Standardizer<T> standardizer = Standardizer<T>.Fit(features);
            features = standardizer.Transform(features);
            testFeatures = testFeatures is null ? null : standardizer.Transform(testFeatures);
        }

        // The last rows become the validation set, as the library's ValidationFraction does; split here so that the
        // explicit-validation Fit reports every minibatch.
        int validation = (int)(features.Rows * settings.ValidationFraction);
        int training = features.Rows - validation;
        if (training == 0 || (settings.ValidationFraction > 0 && validation == 0))
        {
            throw new ArgumentException($"--validation-fraction {settings.ValidationFraction.ToString(CultureInfo.InvariantCulture)} of {features.Rows} samples leaves {training} for training and {validation} for validation; both need at least one.");
        }

        Matrix<T> trainFeatures = features.GetRows(0, training);
        int[] trainLabels = data.Train.Labels[..training];
        Matrix<T>? validationFeatures = validation > 0 ? features.GetRows(training, validation) : null;
        int[] validationLabels = data.Train.Labels[training..];

        var classifier = new MlpClassifier<T>(options);
        int firstEpoch = classifier.History.Count + 1;
        int lastEpoch = classifier.History.Count + settings.Epochs;
        TrainingDisplay display = settings.Json ? new JsonTrainingDisplay(console.Out)
            : console.IsTerminal ? new LiveTrainingDisplay(console.Spectre, firstEpoch, settings.Epochs)
            : new PlainTrainingDisplay(console.Out);
        display.Note($"data: {data.Description}; {DataLoader.DescribeSizes(data)}{(validation > 0 ? string.Create(CultureInfo.InvariantCulture, $", {validation:N0} of the training samples held out for validation") : string.Empty)}");
        display.Note(Describe(settings, data.Train.FeatureCount, data.Train.ClassCount, typeof(T) == typeof(double) ? "f64" : "f32"));

        var epochProgress = new CallbackProgress<EpochMetrics>(metrics => display.OnEpoch(new EpochReport(
            metrics,
            lastEpoch,
            validationFeatures is not null,
            testFeatures is null ? double.NaN : classifier.Score(testFeatures, data.Test!.Labels))));
        var batchProgress = new CallbackProgress<BatchProgress>(display.OnBatch);
        display.Run(() => classifier.Fit(trainFeatures, trainLabels, validationFeatures, validationLabels, epochProgress, batchProgress, cancellationToken));

        TrainingHistory history = classifier.History;
        if (history.StoppedEarly)
        {
            display.Note($"stopped early after epoch {history[^1].Epoch}: no lower validation loss for {settings.EarlyStoppingPatience} epochs; kept the weights of epoch {history.BestEpoch}.");
        }

        if (testFeatures is not null)
        {
            display.Note(string.Create(CultureInfo.InvariantCulture, $"test accuracy {Format.Percent(classifier.Score(testFeatures, data.Test!.Labels))} on {testFeatures.Rows:N0} samples after {history.Count} epochs ({history.Sum(m => m.Seconds):F1} s training)"));
        }

        return ExitCodes.Success;
    }

    private static string Describe(TrainSettings s, int features, int classes, string dtype)
    {
        string widths = string.Join('-', [features, .. s.Layers, classes]);
        string batches = s.BatchCount > 0 ? $"{s.BatchCount} batches per epoch" : $"batches of {s.BatchSize}";
        return string.Create(CultureInfo.InvariantCulture, $"network: {widths} {dtype}, {ActivationNames.Name(s.Activation)} hidden, {(s.Output == OutputLayer.Sigmoid ? "sigmoid" : "softmax")} output; {s.Optimizer.ToString().ToLowerInvariant()} lr {s.LearningRate} ({s.Schedule}), {batches}, {s.Epochs} epochs, seed {s.Seed}");
    }
}
