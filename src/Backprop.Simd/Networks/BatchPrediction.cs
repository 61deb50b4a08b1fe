using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Numerics.Threading;

namespace Backprop.Simd.Networks;

/// <summary>
/// A batch prediction split into contiguous row ranges, one per thread (<see cref="ParallelRows{T}"/>), each run
/// through every layer by its own inference stack on one thread: the layers' bias and activation passes run in
/// parallel too (on a single stack only the GEMMs did), each thread's activations stay in its own cache, and there is
/// one hand-off per batch instead of one per GEMM. Rows are independent and each row's sums keep their order, so the
/// outputs are the same bits as on one thread.
/// </summary>
internal sealed class BatchPrediction<T>(Network<T> network) : IRowRangeWork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Execute(ReadOnlyMatrixSpan<T> inputs, MatrixSpan<T> outputs) => network.PredictOnOneThread(inputs, outputs);
}
