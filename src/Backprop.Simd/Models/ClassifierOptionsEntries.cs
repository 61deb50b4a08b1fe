using System.Globalization;
using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Networks;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Serialization;
using Backprop.Simd.Training;

namespace Backprop.Simd.Models;

/// <summary>
/// The options of an <see cref="MlpClassifier{T}"/> that a model file holds nowhere else, as metadata entries named
/// <c>classifier.*</c>: the hidden layers as declared, the activation, initialisation, dropout, optimizer and its
/// hyperparameters, the class count and the standardisation flag. The training options are the checkpoint's and the
/// loss is <see cref="ClassifierMetadata.Loss"/>. A file without these entries (written by the tool before they
/// existed, or a network saved from code) gets what its network and checkpoint show, else the defaults.
/// </summary>
internal static class ClassifierOptionsEntries
{
    private const string HiddenLayersKey = "classifier.hidden_layers";
    private const string ActivationKey = "classifier.hidden_activation";
    private const string InitializationKey = "classifier.initialization";
    private const string DropoutKey = "classifier.dropout";
    private const string OptimizerKey = "classifier.optimizer";
    private const string LearningRateKey = "classifier.learning_rate";
    private const string MomentumKey = "classifier.momentum";
    private const string WeightDecayKey = "classifier.weight_decay";
    private const string ClassCountKey = "classifier.class_count";
    private const string StandardizeKey = "classifier.standardize";

    /// <summary>The initialisation chosen by the activation (the option's null).</summary>
    private const string AutomaticInitialization = "auto";

    public static void Write(MlpClassifierOptions options, IDictionary<string, string> entries)
    {
        entries[HiddenLayersKey] = string.Join(',', options.HiddenLayers.Select(w => w.ToString(CultureInfo.InvariantCulture)));
        entries[ActivationKey] = options.HiddenActivation.Name;
        entries[InitializationKey] = options.Initialization?.ToString() ?? AutomaticInitialization;
        entries[DropoutKey] = Number(options.Dropout);
        entries[OptimizerKey] = options.Optimizer.Name;
        entries[LearningRateKey] = Number(options.LearningRate);
        entries[MomentumKey] = Number(options.Momentum);
        entries[WeightDecayKey] = Number(options.WeightDecay);
        entries[ClassCountKey] = options.ClassCount.ToString(CultureInfo.InvariantCulture);
        entries[StandardizeKey] = options.Standardize ? "true" : "false";
    }

    /// <summary>The options of the classifier saved in <paramref name="model"/>, checked as the classifier's constructor checks them.</summary>
    /// <exception cref="InvalidDataException">An entry is malformed, or the options it gives are invalid.</exception>
    /// <exception cref="NotSupportedException">The checkpoint's optimizer is none of <see cref="OptimizerKind.All"/>.</exception>
    public static MlpClassifierOptions Read<T>(SavedModel<T> model, ClassifierMetadata metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        IDictionary<string, string> entries = model.Metadata;
        Network<T> network = model.Network;
        TrainingCheckpoint? checkpoint = model.Checkpoint;
        OptimizerKind? trained = checkpoint is null ? null : KindOf<T>(checkpoint);
        TrainingOptions training = checkpoint?.Options ?? new TrainingOptions();
        if (training.Epochs == 0)
        {
            // A trainer may run zero epochs per Fit; a classifier may not, so it takes the default.
            training.Epochs = new TrainingOptions().Epochs;
        }

        var defaults = new MlpClassifierOptions();
        var options = new MlpClassifierOptions
        {
            HiddenLayers = Get(entries, HiddenLayersKey, ParseWidths, () => HiddenWidths(network)),
            HiddenActivation = Get(entries, ActivationKey, Activation.Parse, () => HiddenActivation(network) ?? defaults.HiddenActivation),
            Initialization = Get(entries, InitializationKey, ParseInitialization, () => defaults.Initialization),
            Dropout = Get(entries, DropoutKey, ParseNumber, () => network.Layers.OfType<Dropout<T>>().Select(d => d.Rate).FirstOrDefault()),
            Output = metadata.Loss,
            Optimizer = Get(entries, OptimizerKey, ParseOptimizer, () => trained ?? defaults.Optimizer),
            LearningRate = Get(entries, LearningRateKey, ParseNumber, () => checkpoint?.Optimizer.LearningRate ?? defaults.LearningRate),
            Momentum = Get(entries, MomentumKey, ParseNumber, () => Hyperparameter(checkpoint, "momentum") ?? defaults.Momentum),
            WeightDecay = Get(entries, WeightDecayKey, ParseNumber, () => Hyperparameter(checkpoint, "weight_decay") is > 0 and var decay ? decay : defaults.WeightDecay),
            ClassCount = Get(entries, ClassCountKey, text => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture), () => network.OutputSize),
            Standardize = Get(entries, StandardizeKey, bool.Parse, () => model.Normalization is not null),
            Training = training,
        };

        if (checkpoint is not null && trained != options.Optimizer)
        {
            throw new NotSupportedException(
                $"The model's checkpoint trains with {checkpoint.OptimizerDescription}, which is none of the classifier's optimizers ({string.Join(", ", OptimizerKind.All)}) or not the '{options.Optimizer}' its metadata names; load it with ModelFile.Load and resume it with Trainer<T>.Resume.");
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The model's classifier options are invalid: {e.Message}", e);
        }

        return options;
    }

    /// <summary>The widths of the dense layers but the last (the output layer).</summary>
    private static int[] HiddenWidths<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] widths = [.. network.Layers.OfType<Dense<T>>().Select(d => d.OutputSize)];
        return widths.Length == 0 ? [] : widths[..^1];
    }

    /// <summary>The activation after the first dense layer; null without hidden layers.</summary>
    private static Activation? HiddenActivation<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        network.Layers.Count(l => l is Dense<T>) < 2 ? null : Activation.Of(network.Layers[1]) ?? Activation.Identity;

    /// <summary>The kind of the checkpoint's optimizer; null when it is none (or its factory is not registered here).</summary>
    private static OptimizerKind? KindOf<T>(TrainingCheckpoint checkpoint)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            return OptimizerKind.Of(checkpoint.Optimizer.CreateWithoutState<T>());
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static double? Hyperparameter(TrainingCheckpoint? checkpoint, string name) =>
        checkpoint?.Optimizer.Hyperparameters.Where(h => h.Key == name).Select(h => (double?)h.Value).FirstOrDefault();

    private static TValue Get<TValue>(IDictionary<string, string> entries, string key, Func<string, TValue> parse, Func<TValue> absent)
    {
        if (!entries.TryGetValue(key, out string? text))
        {
            return absent();
        }

        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new InvalidDataException($"The model's metadata has {key} '{text}', which is not a valid value: {e.Message}", e);
        }
    }

    private static int[] ParseWidths(string text) =>
        text.Length == 0 ? [] : [.. text.Split(',').Select(w => int.Parse(w, NumberStyles.None, CultureInfo.InvariantCulture))];

    private static WeightInitialization? ParseInitialization(string text) => text == AutomaticInitialization
        ? null
        : Enum.TryParse(text, ignoreCase: false, out WeightInitialization value) && Enum.IsDefined(value) && !char.IsAsciiDigit(text[0])
            ? value
            : throw new FormatException($"expected {AutomaticInitialization} or one of {string.Join(", ", Enum.GetNames<WeightInitialization>())}");

    private static OptimizerKind ParseOptimizer(string text) => OptimizerKind.TryParse(text, out OptimizerKind? kind)
        ? kind
        : throw new FormatException($"expected one of {string.Join(", ", OptimizerKind.All)}");

    private static double ParseNumber(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
