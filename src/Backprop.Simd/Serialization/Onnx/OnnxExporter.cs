using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.IO;
using Backprop.Simd.Layers;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Writes a trained <see cref="Network{T}"/> as an ONNX model that ONNX Runtime and other ONNX tools can run:
/// <code>
/// OnnxExporter.Export("digits.onnx", network, new OnnxExportOptions&lt;float&gt; { Normalization = standardizer, AppendSoftmax = true });
/// </code>
/// </summary>
/// <remarks>
/// <para>The model takes one input [batch x <see cref="Network{T}.InputSize"/>] and gives one output
/// [batch x <see cref="Network{T}.OutputSize"/>] of the network's element type (FLOAT or DOUBLE); the batch dimension
/// is symbolic, so any batch size runs through the same file. Each layer is written in the form its
/// <see cref="LayerKind"/> declares (the repository's docs/onnx.md lists them): dense layers as <c>Gemm</c> nodes with
/// their weights stored unrounded, activations as the ONNX operators that compute them exactly in the network's element
/// type at the opset written, dropout (the identity at inference) as nothing. The standardisation of
/// <see cref="OnnxExportOptions{T}.Normalization"/> becomes <c>Sub</c> then <c>Mul</c> in front (see there why).
/// <see cref="OnnxImporter"/> reads every one of these forms back into the same layers, bit for bit.</para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>
    /// Writes the model to the file <paramref name="path"/>, replacing it atomically: the model is encoded in memory
    /// first, then written to a temporary file in the same folder, flushed to disk and renamed over the target, so a
    /// failure never leaves a half-written file.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="network">The network to export.</param>
    /// <param name="options">The standardisation, names, opset and metadata; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid: an opset outside 13 to 23, an empty or clashing name, a
    /// normalization with the wrong column count, or <see cref="OnnxExportOptions{T}.AppendSoftmax"/> on a network that
    /// already ends in a softmax; or a parameter of the network is NaN or infinite.</exception>
    /// <exception cref="NotSupportedException">The network holds a layer of your own (no built-in kind) or one without an
    /// ONNX form at the opset and element type, or the model would exceed protobuf's 2 GiB limit.</exception>
    /// <exception cref="IOException">The file cannot be written, or is not a regular file.</exception>
    public static void Export<T>(string path, Network<T> network, OnnxExportOptions<T>? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FiniteParameters.ThrowIfNonFinite(network);
        AtomicFile.Write(path, Encode(network, options ?? new OnnxExportOptions<T>()));
    }

    /// <summary>Writes the model to <paramref name="stream"/> at its current position; nothing is written when the model cannot be built.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="stream">A writable stream.</param>
    /// <param name="network">The network to export.</param>
    /// <param name="options">The standardisation, names, opset and metadata; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="Export{T}(string, Network{T}, OnnxExportOptions{T}?)"/>).</exception>
    /// <exception cref="NotSupportedException">The network holds a layer without an ONNX form, or the model is too large.</exception>
    public static void Export<T>(Stream stream, Network<T> network, OnnxExportOptions<T>? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        FiniteParameters.ThrowIfNonFinite(network);
        stream.Write(Encode(network, options ?? new OnnxExportOptions<T>()));
    }

    /// <summary>The encoded model of <paramref name="network"/>: input → [Sub → Mul] → the layers' nodes → [Softmax] → output.</summary>
    private static byte[] Encode<T>(Network<T> network, OnnxExportOptions<T> options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(network, options);
        var writer = new OnnxChainWriter(typeof(T) == typeof(float) ? OnnxTensor.Float : OnnxTensor.Double, options.InputName, options.OpsetVersion);
        if (options.Normalization is Standardizer<T> normalization)
        {
            writer.Node("Sub", "normalization_sub", [writer.Current, writer.Constant("normalization.mean", [network.InputSize], normalization.Mean)]);
            writer.Node("Mul", "normalization_mul", [writer.Current, writer.Constant("normalization.scale", [network.InputSize], normalization.Scale)]);
        }

        for (int i = 0; i < network.Layers.Count; i++)
        {
            Layer<T> layer = network.Layers[i];
            LayerKind kind = layer.Kind ?? throw new NotSupportedException(
                $"layer{i} ({layer.Description}, a {layer.GetType().Name}) has no ONNX form; supported are the built-in layers {string.Join(", ", LayerKind.All)}.");
            kind.WriteOnnx(layer, writer, $"layer{i}");
        }

        if (options.AppendSoftmax)
        {
            writer.Node("Softmax", "softmax", [writer.Current], ("axis", null, 1));
        }

        foreach (string name in (string[])[options.InputName, options.OutputName])
        {
            if (writer.UsesInside(name))
            {
                throw new ArgumentException($"The name '{name}' is also used inside the exported graph; choose another input or output name.", nameof(options));
            }
        }

        return writer.Finish(
            options.OutputName, network.InputSize, network.OutputSize, options.ProducerName ?? "Backprop.Simd",
            typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "", options.DocString ?? "");
    }

    private static void Validate<T>(Network<T> network, OnnxExportOptions<T> options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.OpsetVersion is < OnnxOpsets.OldestExport or > OnnxOpsets.Newest)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.OpsetVersion, $"OpsetVersion must be from {OnnxOpsets.OldestExport} to {OnnxOpsets.Newest}.");
        }

        if (string.IsNullOrEmpty(options.InputName) || string.IsNullOrEmpty(options.OutputName))
        {
            throw new ArgumentException("InputName and OutputName must not be empty.", nameof(options));
        }

        if (options.InputName == options.OutputName)
        {
            throw new ArgumentException($"InputName and OutputName are both '{options.InputName}'; they must differ.", nameof(options));
        }

        // ONNX strings are UTF-8: a lone surrogate has no encoding. Named here, where the option is known.
        foreach ((string name, string? value) in (ReadOnlySpan<(string, string?)>)[("InputName", options.InputName), ("OutputName", options.OutputName), ("ProducerName", options.ProducerName), ("DocString", options.DocString)])
        {
            int index = value is null ? -1 : LoneSurrogate(value);
            if (index >= 0)
            {
                throw new ArgumentException($"{name} has a lone UTF-16 surrogate at index {index}, which UTF-8 (and so ONNX) cannot encode.", nameof(options));
            }
        }

        if (options.Normalization is { } normalization && normalization.FeatureCount != network.InputSize)
        {
            throw new ArgumentException(
                $"The normalization has {normalization.FeatureCount} columns but the network takes {network.InputSize} inputs.", nameof(options));
        }

        if (options.AppendSoftmax && network.Layers[^1].Kind == Activation.Softmax.Kind)
        {
            throw new ArgumentException("AppendSoftmax is set but the network already ends in a softmax layer.", nameof(options));
        }
    }

    /// <summary>The index of the first surrogate not part of a pair, or −1.</summary>
    private static int LoneSurrogate(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
