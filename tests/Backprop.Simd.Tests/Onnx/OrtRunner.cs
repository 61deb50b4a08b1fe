using Microsoft.ML.OnnxRuntime;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>Runs an encoded model in ONNX Runtime (CPU): an independent check that the encoder writes what ONNX tools read.</summary>
internal static class OrtRunner
{
    /// <summary>
    /// Loads <paramref name="model"/> and runs it on <paramref name="input"/> (rows x columns) as FLOAT or DOUBLE,
    /// returning the single output flattened, with its shape.
    /// </summary>
    public static (double[] Values, long[] Shape) Run(byte[] model, string inputName, string outputName, double[,] input, bool asDouble, long[]? sampleShape = null)
    {
        using var session = new OrtSession(model);
        return session.Run(inputName, outputName, input, asDouble, sampleShape);
    }
}

/// <summary>One model loaded in ONNX Runtime (CPU, one thread, no graph optimisations), to run several batches through.</summary>
internal sealed class OrtSession : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;

    public OrtSession(byte[] model)
    {
        _options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 1 };
        _session = new InferenceSession(model, _options);
    }

    /// <summary>
    /// Runs <paramref name="input"/> (rows x columns, or each row a sample of <paramref name="sampleShape"/> such as
    /// [1, 4, 4]) as FLOAT or DOUBLE; returns the single output flattened, with its shape.
    /// </summary>
    public (double[] Values, long[] Shape) Run(string inputName, string outputName, double[,] input, bool asDouble, long[]? sampleShape = null)
    {
        long[] shape = [input.GetLength(0), .. sampleShape ?? [input.GetLength(1)]];
        double[] flat = ReferenceEvaluator.Flatten(input);
        using OrtValue value = asDouble
            ? OrtValue.CreateTensorValueFromMemory(flat, shape)
            : OrtValue.CreateTensorValueFromMemory(flat.Select(v => (float)v).ToArray(), shape);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(runOptions, [inputName], [value], [outputName]);
        OrtValue output = outputs[0];
        long[] outputShape = output.GetTensorTypeAndShape().Shape;
        double[] values = asDouble
            ? output.GetTensorDataAsSpan<double>().ToArray()
            : output.GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v).ToArray();
        return (values, outputShape);
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}
