using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// An element-wise operation y = f(x), at every vector width. The vector forms must give the same result as the
/// scalar form lane by lane: the driver picks whichever fits.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface IUnaryOperator<T>
{
    T Invoke(T x);

    Vector128<T> Invoke(Vector128<T> x);

    Vector256<T> Invoke(Vector256<T> x);

    Vector512<T> Invoke(Vector512<T> x);
}
