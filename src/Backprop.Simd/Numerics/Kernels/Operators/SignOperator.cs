using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>y = 1 for x &gt; 0, -1 for x &lt; 0, x itself for ±0 and NaN.</summary>
internal readonly struct SignOperator<T> : IUnaryOperator<T>
    where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x > T.Zero ? T.One : x < T.Zero ? T.NegativeOne : x;

    public Vector128<T> Invoke(Vector128<T> x) =>
        Vector128.ConditionalSelect(
            Vector128.GreaterThan(x, Vector128<T>.Zero),
            Vector128<T>.One,
            Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<T>.Zero), -Vector128<T>.One, x));

    public Vector256<T> Invoke(Vector256<T> x) =>
        Vector256.ConditionalSelect(
            Vector256.GreaterThan(x, Vector256<T>.Zero),
            Vector256<T>.One,
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<T>.Zero), -Vector256<T>.One, x));

    public Vector512<T> Invoke(Vector512<T> x) =>
        Vector512.ConditionalSelect(
            Vector512.GreaterThan(x, Vector512<T>.Zero),
            Vector512<T>.One,
            Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), -Vector512<T>.One, x));
}
