using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// dx = x &gt; 0 ? dy : slope * dy, for leaky ReLU (slope 0: ReLU). x may be the layer's input or its output: both
/// have the same sign. The derivative at 0 is taken as slope, as PyTorch does.
/// </summary>
internal readonly struct LeakyReluGradientOperator<T>(T slope) : IBinaryOperator<T>
    where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T dy) => x > T.Zero ? dy : slope * dy;

    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> dy) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<T>.Zero), dy, Vector128.Create(slope) * dy);

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), dy, Vector256.Create(slope) * dy);

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), dy, Vector512.Create(slope) * dy);
}
