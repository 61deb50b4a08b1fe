using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>Turns a gradient operator dx = f'(x) * dy into the plain derivative f'(x) by fixing dy = 1.</summary>
internal readonly struct UnitGradientOperator<T, TGradient>(TGradient gradient) : IUnaryOperator<T>
    where T : IFloatingPointIeee754<T>
    where TGradient : struct, IBinaryOperator<T>
{
    public T Invoke(T x) => gradient.Invoke(x, T.One);

    public Vector128<T> Invoke(Vector128<T> x) => gradient.Invoke(x, Vector128<T>.One);

    public Vector256<T> Invoke(Vector256<T> x) => gradient.Invoke(x, Vector256<T>.One);

    public Vector512<T> Invoke(Vector512<T> x) => gradient.Invoke(x, Vector512<T>.One);
}
