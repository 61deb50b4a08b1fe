using System.Numerics;
using Backprop.Simd.IO;
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
/// is symbolic, so any batch size runs through the same file. Dense layers become <c>Gemm</c> nodes with their weights
/// stored unrounded; Sigmoid, Tanh, ReLU, LeakyReLU and Softmax layers become the ONNX operators of the same names;
/// dropout, the identity at inference, writes nothing. The standardisation of
/// <see cref="OnnxExportOptions{T}.Normalization"/> becomes <c>Sub</c> then <c>Mul</c> in front (see there why).</para>
/// <para>One precision caveat: ONNX stores LeakyRelu's slope as a float, so a double network's slope is rounded to
/// float. <see cref="OnnxImporter"/> reads such a slope back as the shortest decimal that rounds to it (0.01f gives
/// 0.01), which recovers any slope written with up to about seven significant digits exactly.</para>
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
    /// <exception cref="NotSupportedException">The network holds a layer of a type ONNX export does not know, or the
    /// model would exceed protobuf's 2 GiB limit.</exception>
    /// <exception cref="IOException">The file cannot be written, or is not a regular file.</exception>
    public static void Export<T>(string path, Network<T> network, OnnxExportOptions<T>? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FiniteParameters.ThrowIfNonFinite(network);
        AtomicFile.Write(path, OnnxNetworkEncoder.Build(network, options ?? new OnnxExportOptions<T>()).Encode());
    }

    /// <summary>Writes the model to <paramref name="stream"/> at its current position; nothing is written when the model cannot be built.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="stream">A writable stream.</param>
    /// <param name="network">The network to export.</param>
    /// <param name="options">The standardisation, names, opset and metadata; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="Export{T}(string, Network{T}, OnnxExportOptions{T}?)"/>).</exception>
    /// <exception cref="NotSupportedException">The network holds a layer ONNX export does not know, or the model is too large.</exception>
    public static void Export<T>(Stream stream, Network<T> network, OnnxExportOptions<T>? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        FiniteParameters.ThrowIfNonFinite(network);
        OnnxNetworkEncoder.Build(network, options ?? new OnnxExportOptions<T>()).Encode(stream);
    }
}
