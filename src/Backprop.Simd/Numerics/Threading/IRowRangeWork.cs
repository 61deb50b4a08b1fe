using System.Numerics;

namespace Backprop.Simd.Numerics.Threading;

/// <summary>Work on a range of rows of an input and an output matrix; rows are independent, so ranges may run on any thread.</summary>
internal interface IRowRangeWork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Runs the work on one range: views of its rows of the inputs and the outputs.</summary>
    void Execute(ReadOnlyMatrixSpan<T> inputs, MatrixSpan<T> outputs);
}
