using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>y = x &gt; 0 ? x : slope * x. NaN stays NaN (slope * NaN); slope 0 is ReLU with -0 for negative inputs.</summary>
internal readonly struct LeakyReluOperator<T>(T slope) : IUnaryOperator<T>
    where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x > T.Zero ? x : slope * x;

    public Vector128<T> Invoke(Vector128<T> x) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<T>.Zero), x, Vector128.Create(slope) * x);

    public Vector256<T> Invoke(Vector256<T> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, Vector256.Create(slope) * x);

    public Vector512<T> Invoke(Vector512<T> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, Vector512.Create(slope) * x);
}
