using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>dx = dy * (1 - y * y), the derivative of tanh written through its output y = tanh(x).</summary>
internal readonly struct TanhGradientOperator<T> : IBinaryOperator<T>
    where T : IFloatingPointIeee754<T>
{
    public T Invoke(T y, T dy) => dy * (T.One - (y * y));

    public Vector128<T> Invoke(Vector128<T> y, Vector128<T> dy) => dy * (Vector128<T>.One - (y * y));

    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> dy) => dy * (Vector256<T>.One - (y * y));

    public Vector512<T> Invoke(Vector512<T> y, Vector512<T> dy) => dy * (Vector512<T>.One - (y * y));
}
