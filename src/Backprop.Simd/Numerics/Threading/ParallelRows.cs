using System.Numerics;
using System.Runtime.InteropServices;

namespace Backprop.Simd.Numerics.Threading;

/// <summary>
/// Runs an <see cref="IRowRangeWork{T}"/> over contiguous row ranges of an input and an output matrix on the worker
/// pool, one range per part. A span cannot cross threads, so (as the GEMM does) the matrices are pinned for the call
/// and each part gets views of its own rows; nothing else is shared.
/// </summary>
internal sealed unsafe class ParallelRows<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static ParallelRows<T>? t_cached;

    private IRowRangeWork<T>? _work;
    private T* _inputs;
    private int _inputColumns;
    private int _inputStride;
    private T* _outputs;
    private int _outputColumns;
    private int _outputStride;
    private int _rows;
    private int _parts;

    /// <summary>Splits the rows into <paramref name="parts"/> ranges and runs <paramref name="work"/> on each, in parallel; returns when all are done.</summary>
    public static void Run(IRowRangeWork<T> work, ReadOnlyMatrixSpan<T> inputs, MatrixSpan<T> outputs, int parts)
    {
        // A job per thread, reused, unless the work runs another split from inside (then that one gets its own).
        ParallelRows<T> job = t_cached is { _work: null } cached ? cached : (t_cached = new ParallelRows<T>());
        fixed (T* x = &MemoryMarshal.GetReference(inputs.Span))
        fixed (T* y = &MemoryMarshal.GetReference(outputs.Span))
        {
            job._inputs = x;
            job._outputs = y;
            (job._work, job._inputColumns, job._inputStride) = (work, inputs.Columns, inputs.Stride);
            (job._outputColumns, job._outputStride, job._rows, job._parts) = (outputs.Columns, outputs.Stride, inputs.Rows, parts);
            try
            {
                WorkerPool.Shared.Run(job, parts, parts);
            }
            finally
            {
                job._work = null;
            }
        }
    }

    public void Execute(int index)
    {
        int start = (int)((long)index * _rows / _parts);
        int rows = (int)((long)(index + 1) * _rows / _parts) - start;
        if (rows == 0)
        {
            return;
        }

        // x: (rows, in)  y: (rows, out), views of this part's rows
        var x = new ReadOnlyMatrixSpan<T>(new ReadOnlySpan<T>(_inputs + ((nint)start * _inputStride), Extent(rows, _inputColumns, _inputStride)), rows, _inputColumns, _inputStride);
        var y = new MatrixSpan<T>(new Span<T>(_outputs + ((nint)start * _outputStride), Extent(rows, _outputColumns, _outputStride)), rows, _outputColumns, _outputStride);
        _work!.Execute(x, y);
    }

    private static int Extent(int rows, int columns, int stride) => ((rows - 1) * stride) + columns;
}
