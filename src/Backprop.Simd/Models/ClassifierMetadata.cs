using System.Globalization;
using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Networks;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Models;

/// <summary>
/// What a model file says about a classifier besides its weights, so that any reader (an <see cref="MlpClassifier{T}"/>,
/// the <c>backprop</c> tool's <c>eval</c>, <c>predict</c> and <c>export</c>) treats the model as it was trained: the
/// name of each class, the picture an input row is, how pixels were scaled, what the network outputs, and the loss it
/// was trained with. Stored as entries of <see cref="SavedModel{T}.Metadata"/>; a model saved without them reads with
/// the defaults of <see cref="For{T}(Network{T})"/>.
/// </summary>
/// <remarks>
/// The entries (format version 2, all optional): <c>classes</c> (the names, one per line), <c>image_shape</c>
/// (<c>ROWSxCOLUMNS</c>), <c>input_scaling</c> (<c>pixel/255</c>, <c>pixel</c> or <c>none</c>), <c>output</c>
/// (<c>logits</c> or <c>probabilities</c>) and <c>loss</c> (<c>softmax</c> or <c>sigmoid</c>).
/// </remarks>
public sealed record ClassifierMetadata
{
    private const string ClassesKey = "classes";
    private const string ImageShapeKey = "image_shape";
    private const string ScalingKey = "input_scaling";
    private const string OutputKey = "output";
    private const string LossKey = "loss";

    // The values of the entries, each as the file spells it.
    private static readonly (string Text, PixelScaling? Value)[] s_scalings = [("none", null), ("pixel/255", PixelScaling.UnitInterval), ("pixel", PixelScaling.Raw)];
    private static readonly (string Text, ClassifierOutput Value)[] s_outputs = [("logits", ClassifierOutput.Logits), ("probabilities", ClassifierOutput.Probabilities)];
    private static readonly (string Text, OutputLayer Value)[] s_losses = [("softmax", OutputLayer.Softmax), ("sigmoid", OutputLayer.Sigmoid)];

    private readonly IReadOnlyList<string> _classNames = [];
    private readonly ImageShape _imageShape;
    private readonly PixelScaling? _inputScaling;
    private readonly ClassifierOutput _output;
    private readonly OutputLayer _loss;

    /// <summary>Metadata with the given class names and image shape and the other values at their defaults.</summary>
    /// <param name="classNames">The name of each class, in output order.</param>
    /// <param name="imageShape">The picture an input row is.</param>
    /// <exception cref="ArgumentException">Fewer than two names, or a name is empty or holds a line break.</exception>
    public ClassifierMetadata(IReadOnlyList<string> classNames, ImageShape imageShape)
    {
        ClassNames = classNames;
        ImageShape = imageShape;
    }

    /// <summary>The name of each class, in the order of the network's outputs (copied).</summary>
    /// <exception cref="ArgumentException">Fewer than two names, or a name is empty or holds a line break.</exception>
    public IReadOnlyList<string> ClassNames
    {
        get => _classNames;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count < 2)
            {
                throw new ArgumentException($"A classifier has at least 2 classes; {value.Count} names were given.", nameof(value));
            }

            // The file keeps the names one per line.
            int bad = value.ToList().FindIndex(n => string.IsNullOrEmpty(n) || n.Contains('\n', StringComparison.Ordinal));
            if (bad >= 0)
            {
                throw new ArgumentException($"Class name {bad} is empty or holds a line break.", nameof(value));
            }

            _classNames = [.. value];
        }
    }

    /// <summary>The number of classes: the network's output count.</summary>
    public int ClassCount => _classNames.Count;

    /// <summary>The picture an input row is, row by row; its <see cref="ImageShape.PixelCount"/> is the network's input size.</summary>
    /// <exception cref="ArgumentException">The shape is <c>default</c> (0x0).</exception>
    public ImageShape ImageShape
    {
        get => _imageShape;
        init => _imageShape = value.PixelCount > 0 ? value : throw new ArgumentException("The image shape is 0x0; create it with new ImageShape(rows, columns).", nameof(value));
    }

    /// <summary>How pixel bytes became the features the model was trained on; null when not recorded (the model takes features as they are given).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="PixelScaling"/>.</exception>
    public PixelScaling? InputScaling
    {
        get => _inputScaling;
        init => _inputScaling = value is not { } scaling || Enum.IsDefined(scaling) ? value : throw Undefined(scaling, nameof(value));
    }

    /// <summary>What the network outputs. Default: <see cref="ClassifierOutput.Logits"/>, unless the network ends in a softmax layer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="ClassifierOutput"/>.</exception>
    public ClassifierOutput Output
    {
        get => _output;
        init => _output = Enum.IsDefined(value) ? value : throw Undefined(value, nameof(value));
    }

    /// <summary>The output layer, and so the loss, the network was trained with. Default softmax.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="OutputLayer"/>.</exception>
    public OutputLayer Loss
    {
        get => _loss;
        init => _loss = Enum.IsDefined(value) ? value : throw Undefined(value, nameof(value));
    }

    /// <summary>
    /// The metadata a model saved from code without any has: classes named 0 to N − 1, a square image when the input
    /// size is a square (784: 28x28) and else one row, no input scaling, logits out unless the network ends in a
    /// softmax layer, softmax loss.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="network">The network; at least 2 outputs.</param>
    /// <returns>The defaults.</returns>
    /// <exception cref="ArgumentException">The network has fewer than 2 outputs.</exception>
    public static ClassifierMetadata For<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        return new ClassifierMetadata(NumberedClasses(network.OutputSize), ImageShape.For(network.InputSize))
        {
            Output = network.Layers[^1] is Softmax<T> ? ClassifierOutput.Probabilities : ClassifierOutput.Logits,
        };
    }

    /// <summary>Reads the entries of <paramref name="model"/>'s metadata, with the defaults of <see cref="For{T}(Network{T})"/> for those it lacks.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="model">The model, for example from <see cref="ModelFile.Load{T}(string)"/>.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="InvalidDataException">An entry is malformed, holds a value this library does not know, or does not fit the network (class names against outputs, image shape against inputs).</exception>
    public static ClassifierMetadata Read<T>(SavedModel<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        Network<T> network = model.Network;
        IDictionary<string, string> entries = model.Metadata;
        if (network.OutputSize < 2)
        {
            throw new InvalidDataException($"The model has {network.OutputSize} output; a classifier has one per class, at least 2.");
        }

        ClassifierMetadata defaults = For(network);
        string[]? names = entries.TryGetValue(ClassesKey, out string? classes) ? classes.Split('\n') : null;
        if (names is not null && names.Length != network.OutputSize)
        {
            throw new InvalidDataException($"The model's metadata names {names.Length} classes but its network has {network.OutputSize} outputs.");
        }

        if (names is not null && Array.FindIndex(names, n => n.Length == 0) is var empty and >= 0)
        {
            throw new InvalidDataException($"The model's metadata has an empty name for class {empty}.");
        }

        ImageShape shape = defaults.ImageShape;
        if (entries.TryGetValue(ImageShapeKey, out string? shapeText))
        {
            shape = ImageShape.TryParse(shapeText, out ImageShape parsed)
                ? parsed
                : throw new InvalidDataException($"The model's metadata has image shape '{shapeText}'; expected ROWSxCOLUMNS, such as 28x28.");
            if (shape.PixelCount != network.InputSize)
            {
                throw new InvalidDataException($"The model's metadata has image shape {shape}, {shape.PixelCount} pixels, but its network takes {network.InputSize} features.");
            }
        }

        return new ClassifierMetadata(names ?? defaults.ClassNames, shape)
        {
            InputScaling = Value(entries, ScalingKey, null, s_scalings),
            Output = Value(entries, OutputKey, defaults.Output, s_outputs),
            Loss = Value(entries, LossKey, OutputLayer.Softmax, s_losses),
        };
    }

    /// <summary>Writes the entries into <paramref name="model"/>'s metadata, replacing those it has.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="model">The model to save.</param>
    /// <exception cref="ArgumentException">The metadata does not fit the model's network (class count against outputs, image shape against inputs).</exception>
    public void WriteTo<T>(SavedModel<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckFits(model.Network, nameof(model));
        IDictionary<string, string> entries = model.Metadata;
        entries[ClassesKey] = string.Join('\n', _classNames);
        entries[ImageShapeKey] = ImageShape.ToString();
        entries[ScalingKey] = Text(s_scalings, InputScaling);
        entries[OutputKey] = Text(s_outputs, Output);
        entries[LossKey] = Text(s_losses, Loss);
    }

    /// <summary>Whether the other metadata has the same values, class names compared name by name.</summary>
    /// <param name="other">The other metadata.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(ClassifierMetadata? other) => other is not null
        && _classNames.SequenceEqual(other._classNames)
        && ImageShape == other.ImageShape
        && InputScaling == other.InputScaling
        && Output == other.Output
        && Loss == other.Loss;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ClassCount, ImageShape, InputScaling, Output, Loss);

    /// <summary>One line, for example <c>classes 0, 1, 2; image 28x28; input scaling pixel/255; logits; softmax loss</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"classes {string.Join(", ", _classNames)}; image {ImageShape}; input scaling {Text(s_scalings, InputScaling)}; {Text(s_outputs, Output)}; {Text(s_losses, Loss)} loss";

    /// <summary>Throws unless the class count is the network's output count and the image's pixels its input size.</summary>
    /// <exception cref="ArgumentException">It does not fit; the message says how.</exception>
    internal void CheckFits<T>(Network<T> network, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (ClassCount != network.OutputSize)
        {
            throw new ArgumentException($"The metadata names {ClassCount} classes but the network has {network.OutputSize} outputs.", parameterName);
        }

        if (ImageShape.PixelCount != network.InputSize)
        {
            throw new ArgumentException($"The metadata's image shape {ImageShape} has {ImageShape.PixelCount} pixels but the network takes {network.InputSize} features.", parameterName);
        }
    }

    /// <summary>How the file spells <paramref name="value"/>.</summary>
    private static string Text<TValue>((string Text, TValue Value)[] known, TValue value) =>
        known.First(k => EqualityComparer<TValue>.Default.Equals(k.Value, value)).Text;

    private static ArgumentOutOfRangeException Undefined<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum => new(name, value, $"{value} is not a {typeof(TEnum).Name}.");

    /// <summary>"0", "1", ... "count − 1".</summary>
    internal static string[] NumberedClasses(int count) => [.. Enumerable.Range(0, count).Select(c => c.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The value of entry <paramref name="key"/> among <paramref name="known"/>, or <paramref name="absent"/> without the entry.</summary>
    private static TValue Value<TValue>(IDictionary<string, string> entries, string key, TValue absent, (string Text, TValue Value)[] known)
    {
        if (!entries.TryGetValue(key, out string? text))
        {
            return absent;
        }

        foreach ((string name, TValue value) in known)
        {
            if (name == text)
            {
                return value;
            }
        }

        throw new InvalidDataException($"The model's metadata has {key} '{text}'; this library knows {string.Join(", ", known.Select(k => k.Text))}.");
    }
}
