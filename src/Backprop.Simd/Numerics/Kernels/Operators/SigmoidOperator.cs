using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// y = 1 / (1 + e^-x), each lane a function of its own value only: the same bits as
/// <see cref="System.Numerics.Tensors.TensorPrimitives.Sigmoid{T}(ReadOnlySpan{T}, Span{T})"/> wherever that takes
/// its vector path, and for every input wherever it lies in memory.
/// </summary>
/// <remarks>
/// .NET's vector exp in double computes a whole vector with scalar code as soon as one lane is NaN or beyond ±708, and
/// the two round differently, so through it a value's sigmoid would depend on its neighbours and, as vectors are
/// aligned to the destination's address, on where the span lies (a replay of raw-pixel training then differed from run
/// to run). Here e^-x only ever sees values within ±<see cref="SigmoidBounds{T}.Saturation"/>: above it the sigmoid is
/// already 1, below it the result is 0 (the true value is below 3.3e-308), and NaN is passed through afterwards.
/// The scalar form runs the 128-bit vector form on one lane, so every element gets the same bits whichever part of
/// the driver handles it.
/// </remarks>
internal readonly struct SigmoidOperator<T> : IUnaryOperator<T>
    where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => Invoke(Vector128.Create(x)).ToScalar();

    public Vector128<T> Invoke(Vector128<T> x)
    {
        Vector128<T> bound = Vector128.Create(SigmoidBounds<T>.Saturation);
        Vector128<T> nan = Vector128.IsNaN(x);
        Vector128<T> z = Vector128.ConditionalSelect(nan, Vector128<T>.Zero, Vector128.Min(Vector128.Max(x, -bound), bound));
        Vector128<T> minusZ = -z;
        Vector128<T> e = typeof(T) == typeof(float) ? Vector128.Exp(minusZ.AsSingle()).As<float, T>() : Vector128.Exp(minusZ.AsDouble()).As<double, T>();
        Vector128<T> y = Vector128.ConditionalSelect(Vector128.LessThan(x, -bound), Vector128<T>.Zero, Vector128<T>.One / (Vector128<T>.One + e));
        return Vector128.ConditionalSelect(nan, x, y);
    }

    public Vector256<T> Invoke(Vector256<T> x)
    {
        Vector256<T> bound = Vector256.Create(SigmoidBounds<T>.Saturation);
        Vector256<T> nan = Vector256.IsNaN(x);
        Vector256<T> z = Vector256.ConditionalSelect(nan, Vector256<T>.Zero, Vector256.Min(Vector256.Max(x, -bound), bound));
        Vector256<T> minusZ = -z;
        Vector256<T> e = typeof(T) == typeof(float) ? Vector256.Exp(minusZ.AsSingle()).As<float, T>() : Vector256.Exp(minusZ.AsDouble()).As<double, T>();
        Vector256<T> y = Vector256.ConditionalSelect(Vector256.LessThan(x, -bound), Vector256<T>.Zero, Vector256<T>.One / (Vector256<T>.One + e));
        return Vector256.ConditionalSelect(nan, x, y);
    }

    public Vector512<T> Invoke(Vector512<T> x)
    {
        Vector512<T> bound = Vector512.Create(SigmoidBounds<T>.Saturation);
        Vector512<T> nan = Vector512.IsNaN(x);
        Vector512<T> z = Vector512.ConditionalSelect(nan, Vector512<T>.Zero, Vector512.Min(Vector512.Max(x, -bound), bound));
        Vector512<T> minusZ = -z;
        Vector512<T> e = typeof(T) == typeof(float) ? Vector512.Exp(minusZ.AsSingle()).As<float, T>() : Vector512.Exp(minusZ.AsDouble()).As<double, T>();
        Vector512<T> y = Vector512.ConditionalSelect(Vector512.LessThan(x, -bound), Vector512<T>.Zero, Vector512<T>.One / (Vector512<T>.One + e));
        return Vector512.ConditionalSelect(nan, x, y);
    }
}

/// <summary>The bound of <see cref="SigmoidOperator{T}"/>, rounded to <typeparamref name="T"/> once.</summary>
internal static class SigmoidBounds<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>708: the largest |x| for which .NET's double vector exp keeps to its polynomial (in float it always does).</summary>
    public static readonly T Saturation = T.CreateTruncating(708.0);
}
