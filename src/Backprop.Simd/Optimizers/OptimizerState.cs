using System.Numerics;

namespace Backprop.Simd.Optimizers;

/// <summary>
/// An optimizer's own state for one range of parameters, as <see cref="Count"/> slices as long as the range: slice k
/// is the range's part of state block k (for Adam, slice 0 holds the first moments, slice 1 the second).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public readonly ref struct OptimizerState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Span<T> _state;
    private readonly int _start;
    private readonly int _length;
    private readonly int _parameterCount;

    internal OptimizerState(Span<T> state, int statePerParameter, int start, int length, int parameterCount)
    {
        _state = state;
        Count = statePerParameter;
        _start = start;
        _length = length;
        _parameterCount = parameterCount;
    }

    /// <summary>The number of slices: the optimizer's <see cref="Optimizer{T}.StatePerParameter"/>.</summary>
    public int Count { get; }

    /// <summary>Slice <paramref name="index"/>: the range's part of state block <paramref name="index"/>.</summary>
    /// <param name="index">The block, 0 ≤ index &lt; <see cref="Count"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, <see cref="Count"/>).</exception>
    public Span<T> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _state.Slice((index * _parameterCount) + _start, _length);
        }
    }
}
