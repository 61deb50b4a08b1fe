using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Commands;
using Backprop.Simd.Cli.Data;
using Backprop.Simd.Cli.Models;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Serialization;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Training;

/// <summary>Runs <c>train</c>: load, scale, split, fit (new or resumed) with progress and checkpoints, save, summarise.</summary>
internal static class TrainRunner
{
    public static int Run(TrainSettings settings, CliConsole console, CancellationToken cancellationToken)
    {
        if (settings.ResumePath is null && settings.Training.EarlyStoppingPatience > 0 && settings.Training.ValidationFraction == 0)
        {
            throw new ArgumentException("--early-stopping needs a validation set: add --validation-fraction, for example 0.1.");
        }

        // Neither is recorded in a form a resumed run could compare: they only start a new model.
        string[] neverOnResume = [.. settings.RecipeOptionsGiven.Where(o => o is "--init" or "--schedule")];
        if (settings.ResumePath is not null && neverOnResume.Length > 0)
        {
            throw RecipeChange(neverOnResume);
        }

        // On --resume the file's data set counts; there --classes is compared with the model's outputs.
        if (settings.ResumePath is null && settings.Data.Classes > 0 && settings.Data.Kind != DatasetKind.Idx)
        {
            throw new ArgumentException($"--classes declares the classes of an idx data set; {settings.Data.Name} has its own 10.");
        }

        string? modelPath = settings.ModelPath ?? settings.ResumePath;
        if (settings.CheckpointEvery > 0 && modelPath is null)
        {
            throw new ArgumentException("--checkpoint-every needs --out PATH, the model file to save the checkpoints to.");
        }

        if (settings.ModelPath is not null)
        {
            OutputFile.Check(settings.ModelPath, "--out");
        }

        if (settings.ResumePath is null)
        {
            return settings.Double ? Start<double>(settings, console, modelPath, cancellationToken) : Start<float>(settings, console, modelPath, cancellationToken);
        }

        InputFile.ThrowIfMissing(settings.ResumePath, "--resume: the model file");

        // Saved back to itself unless --out says otherwise: that must work before the epochs are spent.
        if (settings.ModelPath is null)
        {
            OutputFile.Check(settings.ResumePath, "--resume");
        }

        ModelFileInfo info = ModelFile.ReadInfo(settings.ResumePath);
        return info.ElementType == typeof(double)
            ? Resume<double>(settings, info, console, modelPath!, cancellationToken)
            : Resume<float>(settings, info, console, modelPath!, cancellationToken);
    }

    private static int Start<T>(TrainSettings settings, CliConsole console, string? modelPath, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        MlpClassifierOptions options = settings.Classifier.Clone();
        LoadedData<T> data = DataLoader.Load<T>(settings.Data, PixelScaling.UnitInterval);
        ModelChecks.CheckNotEmpty(data.Train, "training", data.Description);

        // The data set's classes, not the largest training label's: a limited or skewed training set may lack a
        // class that its test set has, and the model must score (and eval) that test set.
        options.ClassCount = data.Train.ClassCount;
        var classifier = new MlpClassifier<T>(options);
        string widths = string.Join('-', [data.Train.FeatureCount, .. options.HiddenLayers, data.Train.ClassCount]);
        TrainingOptions training = options.Training;
        string batches = training.BatchCount > 0 ? $"{training.BatchCount} batches per epoch" : $"batches of {training.BatchSize}";
        string description = string.Create(
            CultureInfo.InvariantCulture,
            $"network: {widths} {ElementName<T>()}, {options.HiddenActivation.Name} hidden, {LossName(options.Output)} output; {options.Optimizer.Name} lr {options.LearningRate} ({training.Schedule}), {batches}, {training.Epochs} epochs, seed {training.Seed}");
        ModelMetadata Metadata() => new(
            new ClassifierMetadata(ClassNames(data.ClassNames, classifier.ClassCount), new ImageShape(data.ImageRows, data.ImageColumns))
            {
                InputScaling = PixelScaling.UnitInterval,
                Loss = options.Output,
            },
            settings.Data.Name,
            settings.Data.Directory,
            settings.Data.Limit);
        return Train(settings, console, data, classifier, Metadata, modelPath, description, cancellationToken);
    }

    private static int Resume<T>(TrainSettings settings, ModelFileInfo info, CliConsole console, string modelPath, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string path = settings.ResumePath!;
        SavedModel<T> model = ModelFile.Load<T>(path);
        ModelMetadata saved = ModelMetadata.Read(model, path);
        if (model.Checkpoint is null)
        {
            throw new ArgumentException($"The model file '{path}' holds no training checkpoint to resume from; it was saved for inference only.");
        }

        DataRequest request = saved.Resolve(settings.Data, settings.DataGiven, settings.LimitGiven);
        LoadedData<T> data = DataLoader.Load<T>(request, saved.Scaling);
        ModelChecks.CheckNotEmpty(data.Train, "training", data.Description);
        ModelChecks.CheckFits(model.Network, data.Train, path, saved.DataHint(settings.DataGiven));
        MlpClassifier<T> classifier = Classifier(model, path);
        string[] changed = [.. settings.RecipeOptionsGiven.Where(o => !SameAsModel(o, settings, classifier.Options, typeof(T)))];
        if (changed.Length > 0)
        {
            throw RecipeChange(changed);
        }

        settings = WithCheckpointValidation(settings, classifier.Options.Training, path);
        classifier.Epochs = settings.Training.Epochs;
        classifier.MaxDegreeOfParallelism = settings.Training.MaxDegreeOfParallelism;
        if (settings.LearningRateGiven)
        {
            classifier.LearningRate = settings.Classifier.LearningRate;
        }

        string description = string.Create(
            CultureInfo.InvariantCulture,
            $"resuming {path}: {info.InputSize} → {info.OutputSize} {ElementName<T>()}, {info.ParameterCount:N0} parameters, {info.EpochsCompleted} epochs done, {info.OptimizerDescription}{(settings.LearningRateGiven ? $", learning rate now {classifier.LearningRate}" : "")}; {classifier.Epochs} more epochs");
        ModelMetadata Metadata() => saved with { Classifier = classifier.Metadata, Dataset = request.Name, DataDirectory = request.Directory, Limit = request.Limit };
        return Train(settings, console, data, classifier, Metadata, modelPath, description, cancellationToken);
    }

    /// <summary>The classifier a model file holds, with what it cannot continue as a user error.</summary>
    private static MlpClassifier<T> Classifier<T>(SavedModel<T> model, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            return new MlpClassifier<T>(model);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw new InvalidDataException($"The model file '{path}' cannot be resumed: {e.Message}", e);
        }
    }

    private static ArgumentException RecipeChange(IEnumerable<string> options) => new(
        $"{string.Join(", ", options)} cannot change on --resume: a resumed run keeps the model file's architecture, element type, optimizer, batches, penalties, seed and shards (its weights depend on them), and --init and --schedule only start a new model; --epochs, --lr, --threads, the data and the output options apply.");

    /// <summary>Whether a recipe option given with --resume says what the model file's classifier already has (so it changes nothing).</summary>
    private static bool SameAsModel(string option, TrainSettings settings, MlpClassifierOptions saved, Type element)
    {
        MlpClassifierOptions given = settings.Classifier;
        return option switch
        {
            "--layers" => saved.HiddenLayers.SequenceEqual(given.HiddenLayers),
            "--classes" => settings.Data.Classes == saved.ClassCount,
            "--activation" => saved.HiddenLayers.Count == 0 || saved.HiddenActivation == given.HiddenActivation,
            "--loss" => saved.Output == given.Output,
            "--standardize" => saved.Standardize == given.Standardize,
            "--dtype" => (element == typeof(double)) == settings.Double,
            "--batch-size" => saved.Training.BatchSize == given.Training.BatchSize,
            "--batch-count" => saved.Training.BatchCount == given.Training.BatchCount,
            "--seed" => saved.Training.Seed == given.Training.Seed,
            "--shards" => saved.Training.Shards == given.Training.Shards,
            "--l1" => saved.Training.L1 == given.Training.L1,
            "--l2" => saved.Training.L2 == given.Training.L2,
            "--optimizer" => saved.Optimizer == given.Optimizer,

            // Momentum and weight decay count only for the optimizers that take them, as when training starts.
            "--momentum" => !saved.Optimizer.TakesMomentum || saved.Momentum == given.Momentum,
            "--weight-decay" => !saved.Optimizer.TakesWeightDecay || saved.WeightDecay == given.WeightDecay,
            _ => false,
        };
    }

    /// <summary>
    /// A resumed run holds out the same rows and stops early the same way as the run it continues (the checkpoint
    /// records both), or its "bitwise as if never stopped" would silently train on the validation rows. Only values
    /// given on the command line are compared. A file written before the checkpoint recorded the fraction has 0 there
    /// with a patience: its --validation-fraction is taken from the command line.
    /// </summary>
    private static TrainSettings WithCheckpointValidation(TrainSettings settings, TrainingOptions saved, string path)
    {
        TrainingOptions given = settings.Training;
        double fraction = saved.ValidationFraction;
        bool unrecorded = fraction == 0 && saved.EarlyStoppingPatience > 0;
        if (settings.ValidationFractionGiven && given.ValidationFraction != fraction && !unrecorded)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--validation-fraction {given.ValidationFraction} cannot change on --resume: '{path}' was trained with --validation-fraction {fraction}, which a resumed run keeps."));
        }

        if (settings.EarlyStoppingGiven && given.EarlyStoppingPatience != saved.EarlyStoppingPatience)
        {
            throw new ArgumentException($"--early-stopping {given.EarlyStoppingPatience} cannot change on --resume: '{path}' was trained with --early-stopping {saved.EarlyStoppingPatience}, which a resumed run keeps.");
        }

        if (unrecorded)
        {
            fraction = settings.ValidationFractionGiven ? given.ValidationFraction
                : throw new ArgumentException($"'{path}' was trained with --early-stopping {saved.EarlyStoppingPatience} but records no validation fraction (an older backprop wrote it): give the --validation-fraction it was trained with.");
        }

        MlpClassifierOptions classifier = settings.Classifier.Clone();
        (classifier.Training.ValidationFraction, classifier.Training.EarlyStoppingPatience) = (fraction, saved.EarlyStoppingPatience);
        return settings with { Classifier = classifier };
    }

    private static int Train<T>(
        TrainSettings settings,
        CliConsole console,
        LoadedData<T> data,
        MlpClassifier<T> classifier,
        Func<ModelMetadata> metadata,
        string? modelPath,
        string description,
        CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Raw features: the classifier standardises them itself when it has a standardiser.
        Matrix<T> features = data.Train.Features;
        Matrix<T>? testFeatures = data.Test?.Features;

        // The last rows become the validation set, as the library's ValidationFraction does; split here so that the
        // explicit-validation Fit reports every minibatch.
        double validationFraction = settings.Training.ValidationFraction;
        int validation = (int)(features.Rows * validationFraction);
        int training = features.Rows - validation;
        if (training == 0 || (validationFraction > 0 && validation == 0))
        {
            throw new ArgumentException($"--validation-fraction {validationFraction.ToString(CultureInfo.InvariantCulture)} of {features.Rows} samples leaves {training} for training and {validation} for validation; both need at least one.");
        }

        Matrix<T> trainFeatures = features.GetRows(0, training);
        int[] trainLabels = data.Train.Labels[..training];
        Matrix<T>? validationFeatures = validation > 0 ? features.GetRows(training, validation) : null;
        int[] validationLabels = data.Train.Labels[training..];

        int epochsBefore = classifier.History.Count;
        int epochs = classifier.Epochs;
        int lastEpoch = epochsBefore + epochs;
        TrainingDisplay display = settings.Json ? new JsonTrainingDisplay(console.Out)
            : console.IsTerminal ? new LiveTrainingDisplay(console.Spectre, epochsBefore + 1, epochs)
            : new PlainTrainingDisplay(console.Out);
        string held = validation > 0 ? string.Create(CultureInfo.InvariantCulture, $", {validation:N0} of the training samples held out for validation") : string.Empty;
        display.Note($"data: {data.Description}; {DataLoader.DescribeSizes(data)}{held}");
        display.Note(description);

        void Save(string reason)
        {
            ModelStore.Save(modelPath!, classifier, metadata());
            display.Note($"saved {modelPath} ({reason})");
        }

        var epochProgress = new CallbackProgress<EpochMetrics>(metrics =>
        {
            double accuracy = testFeatures is null ? double.NaN : classifier.Score(testFeatures, data.Test!.Labels);
            display.OnEpoch(new EpochReport(metrics, lastEpoch, validationFeatures is not null, accuracy));
            if (settings.CheckpointEvery > 0 && metrics.Epoch % settings.CheckpointEvery == 0 && metrics.Epoch < lastEpoch)
            {
                Save($"checkpoint after epoch {metrics.Epoch}");
            }
        });
        var batchProgress = new CallbackProgress<BatchProgress>(display.OnBatch);
        TrainingSummary Summary(double testAccuracy, string? saved, bool cancelled) => new(
            classifier.History,
            classifier.History.Count - epochsBefore,
            validationFeatures is not null,
            settings.Training.EarlyStoppingPatience,
            testAccuracy,
            testFeatures?.Rows ?? 0,
            saved,
            cancelled);
        try
        {
            display.Run(() => classifier.Fit(trainFeatures, trainLabels, validationFeatures, validationLabels, epochProgress, batchProgress, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            string? saved = Stopped(console, classifier, modelPath, metadata);
            display.Finish(Summary(double.NaN, saved, cancelled: true));
            return ExitCodes.Cancelled;
        }

        double testAccuracy = testFeatures is null ? double.NaN : classifier.Score(testFeatures, data.Test!.Labels);
        if (modelPath is not null)
        {
            Save(string.Create(CultureInfo.InvariantCulture, $"{Format.Count(classifier.History.Count, "epoch")}; continue with --resume {modelPath}"));
        }

        display.Finish(Summary(testAccuracy, modelPath, cancelled: false));
        return ExitCodes.Success;
    }

    /// <summary>
    /// Ctrl+C: the trainer stopped after a minibatch with consistent weights; saves them with a checkpoint if there is
    /// somewhere to, and says so on stderr.
    /// </summary>
    /// <returns>The file saved; null when nothing was.</returns>
    private static string? Stopped<T>(CliConsole console, MlpClassifier<T> classifier, string? modelPath, Func<ModelMetadata> metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int epochs = classifier.History.Count;
        if (modelPath is null || !classifier.IsFitted)
        {
            console.Error.WriteLine($"backprop: stopped by Ctrl+C after {Format.Count(epochs, "epoch")}; nothing saved (no --out).");
            return null;
        }

        ModelStore.Save(modelPath, classifier, metadata());
        console.Error.WriteLine($"backprop: stopped by Ctrl+C after {Format.Count(epochs, "epoch")} (and part of the next); saved the model and a checkpoint to {modelPath}; continue with --resume {modelPath}");
        return modelPath;
    }

    /// <summary>The class names for the network's outputs: the data set's, numbered beyond them.</summary>
    private static string[] ClassNames(IReadOnlyList<string> names, int outputs) =>
        [.. Enumerable.Range(0, outputs).Select(c => c < names.Count ? names[c] : c.ToString(CultureInfo.InvariantCulture))];

    private static string ElementName<T>() => typeof(T) == typeof(double) ? "f64" : "f32";

    private static string LossName(OutputLayer output) => output == OutputLayer.Sigmoid ? "sigmoid" : "softmax";
}
