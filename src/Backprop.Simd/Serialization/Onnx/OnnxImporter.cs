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
/// <para>The graph must be a simple chain from one input [batch x features] (or [batch x ...] flattened first) to one
/// output, every other operand a constant (an initializer, stored in raw_data or in typed fields, or a Constant node).
/// Supported operators (default domain, opset 7 to 23): <c>Gemm</c> (transA = 0; transB, alpha and beta folded into the
/// weights and bias), <c>MatMul</c> with a following <c>Add</c> of the bias, <c>Relu</c>, <c>Sigmoid</c>,
/// <c>Tanh</c>, <c>LeakyRelu</c> (slope in [0, 1)), <c>Softmax</c> over the last axis, <c>Flatten</c> (axis 1),
/// <c>Identity</c>, and before the first layer a standardisation <c>Sub</c>, then <c>Div</c> or <c>Mul</c>, by
/// constants, returned as <see cref="OnnxImportResult{T}.Normalization"/>.</para>
/// <para>Element types convert: a FLOAT model imported as double is exact; a DOUBLE model imported as float rounds
/// each weight to the nearest float, and a value beyond float's range gives <see cref="NotSupportedException"/>.</para>
/// <para>Errors: a model that is not valid protobuf or breaks ONNX's rules (a missing value, weights whose size does
/// not match the data, a non-finite weight) gives <see cref="InvalidDataException"/>; a valid model this importer
/// cannot represent (an unsupported operator, attribute, data type, branch or shape) gives
/// <see cref="NotSupportedException"/>. Both messages name the node and what is wrong. Every size is checked against
/// the bytes of the file before anything is allocated for it; a graph without Gemm or MatMul, whose width only its
/// input shape gives, may have at most 4096 features.</para>
/// </remarks>
public static class OnnxImporter
{
    /// <summary>
    /// A feature count taken from the input shape alone (a graph without Gemm or MatMul), with no weights in the file to
    /// confirm it, may be at most this, so that a small file cannot claim buffers out of proportion to its size.
    /// </summary>
    private const int MaxUnconfirmedFeatures = 4096;

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
        OnnxModel model = OnnxModel.Load(path);
        try
        {
            return Convert<T>(model);
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
        return Convert<T>(OnnxModel.Decode(stream));
    }

    /// <summary>Imports the model held in <paramref name="bytes"/> (the contents of a .onnx file).</summary>
    /// <typeparam name="T">float or double: the element type of the network to create.</typeparam>
    /// <param name="bytes">The encoded model.</param>
    /// <returns>The network, its input standardisation and the model's names.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid ONNX model.</exception>
    /// <exception cref="NotSupportedException">The model is valid but not an MLP this importer supports.</exception>
    public static OnnxImportResult<T> Import<T>(ReadOnlySpan<byte> bytes)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Convert<T>(OnnxModel.Decode(bytes));

    private static OnnxImportResult<T> Convert<T>(OnnxModel model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType<T>.ThrowIfNotSupported();
        long opset = model.GetDefaultOpsetVersion();
        if (opset is < OnnxOpsets.OldestImport or > OnnxOpsets.Newest)
        {
            throw new NotSupportedException(
                $"The model uses opset {opset} of the default ONNX domain; opsets {OnnxOpsets.OldestImport} to {OnnxOpsets.Newest} are supported.");
        }

        OnnxChainReader chain = OnnxChainReader.Read(model.RequireGraph(), opset);
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
            Layer<T> layer = imported.Create<T>(size);
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
            model.ProducerName.Length == 0 ? null : model.ProducerName);
    }

    /// <summary>The output's declared type, when there is one, must agree with what the chain computes.</summary>
    private static void CheckOutput(OnnxChainReader chain, int size)
    {
        if (chain.Output.TensorType is not OnnxTensorType type)
        {
            return;
        }

        if (type.ElementType != OnnxDataType.Undefined && type.ElementType != chain.ElementType)
        {
            throw new InvalidDataException(
                $"The output '{chain.Output.Name}' is declared {OnnxDataTypes.Describe(type.ElementType)} but the input is {OnnxDataTypes.Describe(chain.ElementType)}.");
        }

        if (type.Shape is OnnxShape shape && (shape.Dims.Count != 2 || (shape.Dims[1].Value is long columns && columns != size)))
        {
            throw new InvalidDataException($"The output '{chain.Output.Name}' is declared with shape {shape} but the graph computes [batch x {size}].");
        }
    }
}
