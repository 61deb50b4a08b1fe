using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// dx = x &gt; 0 ? dy : 0, for ReLU. A closed unit passes +0 whatever arrives from above: written as 0 * dy (leaky ReLU
/// with slope 0) an infinite or NaN dy would leak through as NaN, and a negative dy as -0.
/// </summary>
internal readonly struct ReluGradientOperator<T> : IBinaryOperator<T>
    where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T dy) => x > T.Zero ? dy : T.Zero;

    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> dy) => Vector128.GreaterThan(x, Vector128<T>.Zero) & dy;

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy) => Vector256.GreaterThan(x, Vector256<T>.Zero) & dy;

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy) => Vector512.GreaterThan(x, Vector512<T>.Zero) & dy;
}
