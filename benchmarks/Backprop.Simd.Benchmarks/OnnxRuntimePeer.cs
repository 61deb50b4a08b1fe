using Backprop.Simd.Networks;
using Backprop.Simd.Serialization.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// The same network exported to ONNX and run by ONNX Runtime (CPU), the peer of <see cref="QuickInfer"/>: its
/// intra-op pool at the given thread count (its default spinning on), inputs and outputs bound once to
/// preallocated buffers so that neither side allocates per call.
/// </summary>
internal sealed class OnnxRuntimePeer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtValue[] _sampleIn;
    private readonly OrtValue[] _sampleOut;
    private readonly OrtValue[] _batchIn;
    private readonly OrtValue[] _batchOut;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public OnnxRuntimePeer(Network<float> network, float[] sample, float[] output, float[] inputs, float[] outputs, int threads)
    {
        string path = Path.Combine(Path.GetTempPath(), $"quick-infer-{Environment.ProcessId}.onnx");
        try
        {
            OnnxExporter.Export(path, network);
            using var options = new SessionOptions
            {
                IntraOpNumThreads = threads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            _session = new InferenceSession(path, options);
        }
        finally
        {
            File.Delete(path);
        }

        _inputNames = [_session.InputNames[0]];
        _outputNames = [_session.OutputNames[0]];
        int features = sample.Length, classes = output.Length;
        _sampleIn = [OrtValue.CreateTensorValueFromMemory(sample, [1, features])];
        _sampleOut = [OrtValue.CreateTensorValueFromMemory(output, [1, classes])];
        _batchIn = [OrtValue.CreateTensorValueFromMemory(inputs, [inputs.Length / features, features])];
        _batchOut = [OrtValue.CreateTensorValueFromMemory(outputs, [outputs.Length / classes, classes])];
    }

    public void PredictSample() => _session.Run(_run, _inputNames, _sampleIn, _outputNames, _sampleOut);

    public void PredictBatch() => _session.Run(_run, _inputNames, _batchIn, _outputNames, _batchOut);

    public void Dispose()
    {
        foreach (OrtValue value in (OrtValue[])[.. _sampleIn, .. _sampleOut, .. _batchIn, .. _batchOut])
        {
            value.Dispose();
        }

        _run.Dispose();
        _session.Dispose();
    }
}
