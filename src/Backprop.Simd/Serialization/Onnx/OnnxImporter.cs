using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Reads a multilayer perceptron from an ONNX model, such as <c>torch.onnx.export</c> writes for
/// <c>nn.Sequential(Linear, ReLU, ...)</c> or <see cref="OnnxExporter"/> writes, into a <see cref="Network{T}"/> that
/// predicts and can be trained further:
/// <code>
/// OnnxImportResult&lt;float&gt; model = OnnxImporter.Import&lt;float&gt;("mlp.onnx");
/// model.Network.Predict(model.Normalization?.Transform(features) ?? features);
/// </code>
/// </summary>
/// <remarks>
/// <para>The graph must be a chain from one input [batch x features] (or [batch x ...] flattened first) to one
/// output, every other operand a constant (an initializer, stored in raw_data or in typed fields, or a Constant node).
/// Read are the operators of <see cref="SupportedOperators"/> (default domain, opset 7 to 23): <c>Gemm</c> (transA = 0;
/// transB, alpha and beta folded into the weights and bias), <c>MatMul</c> with a following <c>Add</c> of the bias,
/// <c>BatchNormalization</c> at inference right after them (folded into their weights and bias), the activations of the
/// built-in layer kinds (each kind declares the operators it is read from, and the importer recognises the forms of
/// several operators that exporters write for some, such as leaky ReLU's <c>Max(x, Mul(x, slope))</c>; the repository's
/// docs/onnx.md lists them), <c>LogSoftmax</c> as the last operator (see <see cref="OnnxImportResult{T}.LogSoftmaxOutput"/>),
/// <c>Flatten</c> (axis 1), <c>Reshape</c> to [batch x features] (a constant target such as [-1, 784] or [0, -1], or one
/// computed by <c>Shape</c>, <c>Gather</c>, <c>Unsqueeze</c> and <c>Concat</c> as <c>x.view(x.size(0), -1)</c> exports),
/// <c>Identity</c>, <c>Dropout</c> at inference, and before the first layer a standardisation <c>Sub</c>, then <c>Div</c>
/// or <c>Mul</c>, by constants, returned as <see cref="OnnxImportResult{T}.Normalization"/>.</para>
/// <para>Element types convert: a FLOAT model imported as double is exact; a DOUBLE model imported as float rounds
/// each weight to the nearest float, and a value beyond float's range gives <see cref="NotSupportedException"/>.</para>
/// <para>Errors: a model that is not valid protobuf or breaks ONNX's rules (a missing value, weights whose size does
/// not match the data, a non-finite weight) gives <see cref="InvalidDataException"/>; a valid model this importer
/// cannot represent (an unsupported operator, attribute, data type, branch or shape) gives
/// <see cref="NotSupportedException"/>. Both messages name the node and what is wrong, and the fix where there is one.
/// Every size is checked against the bytes of the file before anything is allocated for it; a graph without Gemm or
/// MatMul, whose width only its input shape gives, may have at most 4096 features.</para>
/// </remarks>
public static class OnnxImporter
{
    /// <summary>
    /// A feature count taken from the input shape alone (a graph without Gemm or MatMul), with no weights in the file to
    /// confirm it, may be at most this, so that a small file cannot claim buffers out of proportion to its size.
    /// </summary>
    private const int MaxUnconfirmedFeatures = 4096;

    /// <summary>
    /// The ONNX operators (default domain) the importer reads, each where its remarks say: the list its errors and the
    /// backprop tool's help print, made of the chain's structural operators and those the built-in layer kinds declare.
    /// </summary>
    public static IReadOnlyList<string> SupportedOperators => OnnxChainReader.SupportedOperators;

    /// <summary>Imports the model in the file <paramref name="path"/>; error messages start with the path.</summary>
    /// <typeparam name="T">float or double: the element type of the network to create.</typeparam>
    /// <param name="path">The .onnx file.</param>
    /// <returns>The network, its input standardisation and the model's names.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid ONNX model.</exception>
    /// <exception cref="NotSupportedException">The model is valid but not an MLP this importer supports.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static OnnxImportResult<T> Import<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using FileStream stream = File.OpenRead(path);
            return Convert<T>(OnnxModelReader.ReadAll(stream, OnnxModelReader.MaxBytes));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new NotSupportedException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Imports the model in the rest of <paramref name="stream"/>.</summary>
    /// <typeparam name="T">float or double: the element type of the network to create.</typeparam>
    /// <param name="stream">A readable stream positioned at the model.</param>
    /// <returns>The network, its input standardisation and the model's names.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid ONNX model.</exception>
    /// <exception cref="NotSupportedException">The model is valid but not an MLP this importer supports.</exception>
    public static OnnxImportResult<T> Import<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Convert<T>(OnnxModelReader.ReadAll(stream, OnnxModelReader.MaxBytes));
    }

    /// <summary>Imports the model held in <paramref name="bytes"/> (the contents of a .onnx file).</summary>
    /// <typeparam name="T">float or double: the element type of the network to create.</typeparam>
    /// <param name="bytes">The encoded model.</param>
    /// <returns>The network, its input standardisation and the model's names.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid ONNX model.</exception>
    /// <exception cref="NotSupportedException">The model is valid but not an MLP this importer supports.</exception>
    public static OnnxImportResult<T> Import<T>(ReadOnlySpan<byte> bytes)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Convert<T>(bytes);

    private static OnnxImportResult<T> Convert<T>(ReadOnlySpan<byte> bytes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType<T>.ThrowIfNotSupported();
        OnnxModelContents model = OnnxModelReader.Read(bytes);
        long opset = model.Opset ?? throw new InvalidDataException("The ONNX model imports no operator set for the default domain (\"\" or \"ai.onnx\").");
        if (opset is < OnnxOpsets.OldestImport or > OnnxOpsets.Newest)
        {
            throw new NotSupportedException(
                $"The model uses opset {opset} of the default ONNX domain; opsets {OnnxOpsets.OldestImport} to {OnnxOpsets.Newest} are supported. "
                + (opset < OnnxOpsets.OldestImport ? "Export it again with opset 13 or later." : $"Export it with opset {OnnxOpsets.Newest} or earlier."));
        }

        OnnxChainReader chain = OnnxChainReader.Read(model.Graph ?? throw new InvalidDataException("The ONNX model has no graph."), opset);
        if (chain.Layers.Count == 0)
        {
            throw new NotSupportedException($"The graph from '{chain.Input.Name}' to '{chain.Output.Name}' has no layer: no Gemm, MatMul or activation.");
        }

        int features = chain.InputFeatures
            ?? throw new NotSupportedException($"The number of features of the input '{chain.Input.Name}' is given neither by its shape nor by weights.");
        if (!chain.InputFeaturesFromWeights && features > MaxUnconfirmedFeatures)
        {
            throw new NotSupportedException(
                $"The input '{chain.Input.Name}' claims {features} features, which no weights confirm; at most {MaxUnconfirmedFeatures} are accepted from the shape alone.");
        }

        var layers = new List<Layer<T>>(chain.Layers.Count);
        int size = features;
        foreach (OnnxImportedLayer imported in chain.Layers)
        {
            // As a model file builds it: the kind's layer from its record, then the parameters (a dense layer's weights and bias).
            Layer<T> layer = new LayerRecord(imported.Kind, size, imported.Fields).Create<T>();
            double[][] parameters = [imported.Weights, imported.Bias];
            for (int p = 0; p < layer.Parameters.Count; p++)
            {
                OnnxConstants.Convert<T>(parameters[p], imported.Node, layer.Parameters[p].Name).CopyTo(layer.Parameters[p].Value.AsSpan());
            }

            layers.Add(layer);
            size = layer.OutputSize;
        }

        CheckOutput(chain, size);
        return new OnnxImportResult<T>(
            new Network<T>(layers),
            OnnxStandardization.Create<T>(chain, features),
            chain.Input.Name,
            chain.Output.Name,
            opset,
            model.ProducerName.Length == 0 ? null : model.ProducerName,
            chain.LogSoftmax is not null);
    }

    /// <summary>The output's declared type, when there is one, must agree with what the chain computes.</summary>
    private static void CheckOutput(OnnxChainReader chain, int size)
    {
        OnnxValue output = chain.Output;
        if (output.IsTensor && output.ElementType != 0 && output.ElementType != chain.ElementType)
        {
            throw new InvalidDataException(
                $"The output '{output.Name}' is declared {OnnxTensor.DescribeType(output.ElementType)} but the input is {OnnxTensor.DescribeType(chain.ElementType)}.");
        }

        if (output.Shape is OnnxDimension[] shape && (shape.Length != 2 || (shape[1].Value is long columns && columns != size)))
        {
            throw new InvalidDataException($"The output '{output.Name}' is declared with shape {output.FormatShape()} but the graph computes [batch x {size}].");
        }
    }
}
