using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>g + λ sign(w): adds the L1 subgradient to a gradient (sign(0) = 0).</summary>
internal readonly struct L1GradientOperator<T>(T lambda) : IBinaryOperator<T>
    where T : IFloatingPointIeee754<T>
{
    public T Invoke(T w, T g) => g + (lambda * default(SignOperator<T>).Invoke(w));

    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g) => g + (Vector128.Create(lambda) * default(SignOperator<T>).Invoke(w));

    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g) => g + (Vector256.Create(lambda) * default(SignOperator<T>).Invoke(w));

    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g) => g + (Vector512.Create(lambda) * default(SignOperator<T>).Invoke(w));
}
