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
        if (settings.ResumePath is null && settings.EarlyStoppingPatience > 0 && settings.ValidationFraction == 0)
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
        MlpClassifierOptions options = settings.ToClassifierOptions();
        LoadedData<T> data = DataLoader.Load<T>(settings.Data, PixelScaling.UnitInterval);
        ModelChecks.CheckNotEmpty(data.Train, "training", data.Description);

        // The data set's classes, not the largest training label's: a limited or skewed training set may lack a
        // class that its test set has, and the model must score (and eval) that test set.
        options.ClassCount = data.Train.ClassCount;
        Standardizer<T>? standardizer = settings.Standardize ? Standardizer<T>.Fit(data.Train.Features) : null;
        string loss = settings.Output == OutputLayer.Sigmoid ? "sigmoid" : "softmax";
        string widths = string.Join('-', [data.Train.FeatureCount, .. settings.Layers, data.Train.ClassCount]);
        string batches = settings.BatchCount > 0 ? $"{settings.BatchCount} batches per epoch" : $"batches of {settings.BatchSize}";
        string description = string.Create(
            CultureInfo.InvariantCulture,
            $"network: {widths} {ElementName<T>()}, {settings.Activation.Name} hidden, {loss} output; {settings.Optimizer.Name} lr {settings.LearningRate} ({settings.Schedule}), {batches}, {settings.Epochs} epochs, seed {settings.Seed}");
        ModelMetadata Metadata(Network<T> network) =>
            new(settings.Data.Name, settings.Data.Directory, settings.Data.Limit, ClassNames(data.ClassNames, network.OutputSize), data.ImageRows, data.ImageColumns, loss);
        return Train(settings, console, data, standardizer, TrainingSession<T>.Create(options), Metadata, modelPath, description, cancellationToken);
    }

    private static int Resume<T>(TrainSettings settings, ModelFileInfo info, CliConsole console, string modelPath, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string path = settings.ResumePath!;
        ModelMetadata saved = ModelMetadata.Read(info.Metadata, path, info.OutputSize);
        SavedModel<T> model = ModelFile.Load<T>(path);
        DataRequest request = saved.Resolve(settings.Data, settings.DataGiven, settings.LimitGiven);
        LoadedData<T> data = DataLoader.Load<T>(request, PixelScaling.UnitInterval);
        ModelChecks.CheckNotEmpty(data.Train, "training", data.Description);
        ModelChecks.CheckFits(model.Network, data.Train, path);
        TrainingSession<T> session = TrainingSession<T>.Resume(model, path, saved.Loss == "sigmoid" ? OutputLayer.Sigmoid : OutputLayer.Softmax, settings.Epochs, settings.Threads, settings.LearningRateGiven ? settings.LearningRate : null);
        string[] changed = [.. settings.RecipeOptionsGiven.Where(o => !SameAsModel(o, settings, model, session.ResumedOptions!, session.ResumedOptimizer!, saved.Loss))];
        if (changed.Length > 0)
        {
            throw RecipeChange(changed);
        }

        settings = WithCheckpointValidation(settings, session.ResumedOptions!, path);
        string description = string.Create(
            CultureInfo.InvariantCulture,
            $"resuming {path}: {info.InputSize} → {info.OutputSize} {ElementName<T>()}, {info.ParameterCount:N0} parameters, {info.EpochsCompleted} epochs done, {info.OptimizerDescription}{(settings.LearningRateGiven ? $", learning rate now {settings.LearningRate}" : "")}; {settings.Epochs} more epochs");
        ModelMetadata Metadata(Network<T> network) => saved with { Dataset = request.Name, DataDirectory = request.Directory, Limit = request.Limit };
        return Train(settings, console, data, model.Normalization, session, Metadata, modelPath, description, cancellationToken);
    }

    private static ArgumentException RecipeChange(IEnumerable<string> options) => new(
        $"{string.Join(", ", options)} cannot change on --resume: a resumed run keeps the model file's architecture, element type, optimizer, batches, penalties, seed and shards (its weights depend on them), and --init and --schedule only start a new model; --epochs, --lr, --threads, the data and the output options apply.");

    /// <summary>Whether a recipe option given with --resume says what the model file already has (so it changes nothing).</summary>
    private static bool SameAsModel<T>(string option, TrainSettings settings, SavedModel<T> model, TrainingOptions saved, Optimizer<T> optimizer, string loss)
        where T : unmanaged, IFloatingPointIeee754<T> => option switch
        {
            "--layers" => HiddenWidths(model.Network).SequenceEqual(settings.Layers),
            "--classes" => settings.Data.Classes == model.Network.OutputSize,
            "--activation" => HiddenActivation(model.Network) is not { } activation || activation == settings.Activation,
            "--loss" => (settings.Output == OutputLayer.Sigmoid ? "sigmoid" : "softmax") == loss,
            "--standardize" => settings.Standardize == model.Normalization is not null,
            "--dtype" => settings.Double == (typeof(T) == typeof(double)),
            "--batch-size" => settings.BatchSize == saved.BatchSize,
            "--batch-count" => settings.BatchCount == saved.BatchCount,
            "--seed" => settings.Seed == saved.Seed,
            "--shards" => settings.Shards == saved.Shards,
            "--l1" => settings.L1 == saved.L1,
            "--l2" => settings.L2 == saved.L2,
            "--optimizer" => OptimizerKind.Of(optimizer) == settings.Optimizer,

            // Momentum applies to the optimizers that have it and weight decay to those that use it, as when training starts.
            "--momentum" => Hyperparameter(optimizer, "momentum") is not { } momentum || momentum == settings.Momentum,
            "--weight-decay" => Hyperparameter(optimizer, "weight_decay") is not (> 0 and var decay) || decay == settings.WeightDecay,
            _ => false,
        };

    private static int[] HiddenWidths<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] widths = [.. network.Layers.OfType<Dense<T>>().Select(d => d.OutputSize)];
        return widths[..^1];
    }

    /// <summary>The activation after the first dense layer; null without hidden layers.</summary>
    private static Activation? HiddenActivation<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        network.Layers.Count(l => l is Dense<T>) < 2 ? null : Activation.Of(network.Layers[1]) ?? Activation.Identity;

    /// <summary>The value of the optimizer's hyperparameter <paramref name="name"/>, or null when it has none of that name.</summary>
    private static double? Hyperparameter<T>(Optimizer<T> optimizer, string name)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        optimizer.Hyperparameters.Where(h => h.Key == name).Select(h => (double?)h.Value).FirstOrDefault();

    /// <summary>
    /// A resumed run holds out the same rows and stops early the same way as the run it continues (the checkpoint
    /// records both), or its "bitwise as if never stopped" would silently train on the validation rows. Only values
    /// given on the command line are compared. A file written before the checkpoint recorded the fraction has 0 there
    /// with a patience: its --validation-fraction is taken from the command line.
    /// </summary>
    private static TrainSettings WithCheckpointValidation(TrainSettings settings, TrainingOptions saved, string path)
    {
        double fraction = saved.ValidationFraction;
        bool unrecorded = fraction == 0 && saved.EarlyStoppingPatience > 0;
        if (settings.ValidationFractionGiven && settings.ValidationFraction != fraction && !unrecorded)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--validation-fraction {settings.ValidationFraction} cannot change on --resume: '{path}' was trained with --validation-fraction {fraction}, which a resumed run keeps."));
        }

        if (settings.EarlyStoppingGiven && settings.EarlyStoppingPatience != saved.EarlyStoppingPatience)
        {
            throw new ArgumentException($"--early-stopping {settings.EarlyStoppingPatience} cannot change on --resume: '{path}' was trained with --early-stopping {saved.EarlyStoppingPatience}, which a resumed run keeps.");
        }

        if (unrecorded)
        {
            fraction = settings.ValidationFractionGiven ? settings.ValidationFraction
                : throw new ArgumentException($"'{path}' was trained with --early-stopping {saved.EarlyStoppingPatience} but records no validation fraction (an older backprop wrote it): give the --validation-fraction it was trained with.");
        }

        return settings with { ValidationFraction = fraction, EarlyStoppingPatience = saved.EarlyStoppingPatience };
    }

    private static int Train<T>(
        TrainSettings settings,
        CliConsole console,
        LoadedData<T> data,
        Standardizer<T>? standardizer,
        TrainingSession<T> session,
        Func<Network<T>, ModelMetadata> metadata,
        string? modelPath,
        string description,
        CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> features = standardizer is null ? data.Train.Features : standardizer.Transform(data.Train.Features);
        Matrix<T>? testFeatures = data.Test is null ? null : standardizer is null ? data.Test.Features : standardizer.Transform(data.Test.Features);

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

        int lastEpoch = session.EpochsBefore + settings.Epochs;
        TrainingDisplay display = settings.Json ? new JsonTrainingDisplay(console.Out)
            : console.IsTerminal ? new LiveTrainingDisplay(console.Spectre, session.EpochsBefore + 1, settings.Epochs)
            : new PlainTrainingDisplay(console.Out);
        string held = validation > 0 ? string.Create(CultureInfo.InvariantCulture, $", {validation:N0} of the training samples held out for validation") : string.Empty;
        display.Note($"data: {data.Description}; {DataLoader.DescribeSizes(data)}{held}");
        display.Note(description);

        void Save(string reason)
        {
            ModelStore.Save(modelPath!, session.Network, standardizer, session.CreateCheckpoint(), metadata(session.Network));
            display.Note($"saved {modelPath} ({reason})");
        }

        var epochProgress = new CallbackProgress<EpochMetrics>(metrics =>
        {
            double accuracy = testFeatures is null ? double.NaN : session.Score(testFeatures, data.Test!.Labels);
            display.OnEpoch(new EpochReport(metrics, lastEpoch, validationFeatures is not null, accuracy));
            if (settings.CheckpointEvery > 0 && metrics.Epoch % settings.CheckpointEvery == 0 && metrics.Epoch < lastEpoch)
            {
                Save($"checkpoint after epoch {metrics.Epoch}");
            }
        });
        var batchProgress = new CallbackProgress<BatchProgress>(display.OnBatch);
        int epochsBefore = session.History.Count;
        TrainingSummary Summary(double testAccuracy, string? saved, bool cancelled) => new(
            session.History,
            session.History.Count - epochsBefore,
            validationFeatures is not null,
            settings.EarlyStoppingPatience,
            testAccuracy,
            testFeatures?.Rows ?? 0,
            saved,
            cancelled);
        try
        {
            display.Run(() => session.Fit(trainFeatures, trainLabels, validationFeatures, validationLabels, epochProgress, batchProgress, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            string? saved = Stopped(console, session, modelPath, standardizer, metadata);
            display.Finish(Summary(double.NaN, saved, cancelled: true));
            return ExitCodes.Cancelled;
        }

        double testAccuracy = testFeatures is null ? double.NaN : session.Score(testFeatures, data.Test!.Labels);
        if (modelPath is not null)
        {
            Save(string.Create(CultureInfo.InvariantCulture, $"{session.History.Count} epochs; continue with --resume {modelPath}"));
        }

        display.Finish(Summary(testAccuracy, modelPath, cancelled: false));
        return ExitCodes.Success;
    }

    /// <summary>
    /// Ctrl+C: the trainer stopped after a minibatch with consistent weights; saves them with a checkpoint if there is
    /// somewhere to, and says so on stderr.
    /// </summary>
    /// <returns>The file saved; null when nothing was.</returns>
    private static string? Stopped<T>(CliConsole console, TrainingSession<T> session, string? modelPath, Standardizer<T>? standardizer, Func<Network<T>, ModelMetadata> metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int epochs = session.History.Count;
        if (modelPath is null || !session.HasNetwork)
        {
            console.Error.WriteLine($"backprop: stopped by Ctrl+C after {epochs} epochs; nothing saved (no --out).");
            return null;
        }

        ModelStore.Save(modelPath, session.Network, standardizer, session.CreateCheckpoint(), metadata(session.Network));
        console.Error.WriteLine($"backprop: stopped by Ctrl+C after {epochs} epochs (and part of the next); saved the model and a checkpoint to {modelPath}; continue with --resume {modelPath}");
        return modelPath;
    }

    /// <summary>The class names for the network's outputs: the data set's, numbered beyond them.</summary>
    private static string[] ClassNames(IReadOnlyList<string> names, int outputs) =>
        [.. Enumerable.Range(0, outputs).Select(c => c < names.Count ? names[c] : c.ToString(CultureInfo.InvariantCulture))];

    private static string ElementName<T>() => typeof(T) == typeof(double) ? "f64" : "f32";
}
