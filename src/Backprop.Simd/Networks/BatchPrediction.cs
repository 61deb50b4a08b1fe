using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Numerics.Threading;

namespace Backprop.Simd.Networks;

/// <summary>
/// A batch prediction split into contiguous row ranges, one per thread, each run through every layer by its own
/// inference stack on one thread: the layers' bias and activation passes run in parallel too (on a single stack only
/// the GEMMs did), each thread's activations stay in its own cache, and there is one hand-off per batch instead of one
/// per GEMM. Rows are independent and each row's sums keep their order, so the outputs are the same bits as on one thread.
/// </summary>
internal sealed unsafe class BatchPrediction<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Network<T>? _network;
    private T* _inputs;
    private int _inputStride;
    private T* _outputs;
    private int _outputStride;
    private int _rows;
    private int _parts;

    public bool InUse { get; private set; }

    public void Prepare(Network<T> network, T* inputs, int inputStride, T* outputs, int outputStride, int rows, int parts)
    {
        InUse = true;
        _network = network;
        _inputs = inputs;
        _inputStride = inputStride;
        _outputs = outputs;
        _outputStride = outputStride;
        _rows = rows;
        _parts = parts;
    }

    public void Release()
    {
        _network = null;
        InUse = false;
    }

    public void Execute(int index)
    {
        Network<T> network = _network!;
        int start = (int)((long)index * _rows / _parts);
        int rows = (int)((long)(index + 1) * _rows / _parts) - start;
        if (rows == 0)
        {
            return;
        }

        // x: (rows, In)  y: (rows, Out), views of this part's rows
        var x = new ReadOnlyMatrixSpan<T>(new ReadOnlySpan<T>(_inputs + ((nint)start * _inputStride), Extent(rows, network.InputSize, _inputStride)), rows, network.InputSize, _inputStride);
        var y = new MatrixSpan<T>(new Span<T>(_outputs + ((nint)start * _outputStride), Extent(rows, network.OutputSize, _outputStride)), rows, network.OutputSize, _outputStride);
        network.PredictOnOneThread(x, y);
    }

    private static int Extent(int rows, int columns, int stride) => ((rows - 1) * stride) + columns;
}
