using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// An element-wise operation z = f(x, y), at every vector width. The vector forms must give the same result as the
/// scalar form lane by lane: the driver picks whichever fits.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface IBinaryOperator<T>
{
    T Invoke(T x, T y);

    Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);

    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);

    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}
