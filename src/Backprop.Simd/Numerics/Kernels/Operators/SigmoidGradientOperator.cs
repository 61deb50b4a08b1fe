using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>dx = dy * (y * (1 - y)), the sigmoid's derivative written through its output y = sigmoid(x).</summary>
internal readonly struct SigmoidGradientOperator<T> : IBinaryOperator<T>
    where T : IFloatingPointIeee754<T>
{
    public T Invoke(T y, T dy) => dy * (y * (T.One - y));

    public Vector128<T> Invoke(Vector128<T> y, Vector128<T> dy) => dy * (y * (Vector128<T>.One - y));

    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> dy) => dy * (y * (Vector256<T>.One - y));

    public Vector512<T> Invoke(Vector512<T> y, Vector512<T> dy) => dy * (y * (Vector512<T>.One - y));
}
