using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>y = f(x) computed in double lanes, written once for every width.</summary>
internal interface IDoubleLaneFunction
{
    static abstract TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct;
}

/// <summary>z = f(x, y) computed in double lanes, written once for every width.</summary>
internal interface IDoubleLaneBinaryFunction
{
    static abstract TVector Invoke<TLanes, TVector>(TVector x, TVector y)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct;
}

/// <summary>
/// The unary operator of a double-lane function: the binary one (<see cref="DoubleLaneBinaryOperator{T, TFunction}"/>)
/// of the function with its second operand ignored, so that the widening and rounding are written once.
/// </summary>
internal readonly struct DoubleLaneOperator<T, TFunction> : IUnaryOperator<T>
    where T : IFloatingPointIeee754<T>
    where TFunction : IDoubleLaneFunction
{
    public T Invoke(T x) => default(DoubleLaneBinaryOperator<T, FirstOperand<TFunction>>).Invoke(x, x);

    public Vector128<T> Invoke(Vector128<T> x) => default(DoubleLaneBinaryOperator<T, FirstOperand<TFunction>>).Invoke(x, x);

    public Vector256<T> Invoke(Vector256<T> x) => default(DoubleLaneBinaryOperator<T, FirstOperand<TFunction>>).Invoke(x, x);

    public Vector512<T> Invoke(Vector512<T> x) => default(DoubleLaneBinaryOperator<T, FirstOperand<TFunction>>).Invoke(x, x);
}

/// <summary>f(x, y) = f(x): a unary function as a binary one.</summary>
internal readonly struct FirstOperand<TFunction> : IDoubleLaneBinaryFunction
    where TFunction : IDoubleLaneFunction
{
    public static TVector Invoke<TLanes, TVector>(TVector x, TVector y)
        where TLanes : IDoubleLanes<TVector>
        where TVector : struct => TFunction.Invoke<TLanes, TVector>(x);
}

/// <summary>
/// The binary operator of a double-lane function: double vectors go through it as they are, float vectors widened to
/// two double vectors each and the results rounded back, so a float result is the double one correctly rounded but for
/// the rare double rounding. The scalar form runs the 128-bit form on one lane, so every element gets the same bits
/// whichever part of the driver handles it.
/// </summary>
internal readonly struct DoubleLaneBinaryOperator<T, TFunction> : IBinaryOperator<T>
    where T : IFloatingPointIeee754<T>
    where TFunction : IDoubleLaneBinaryFunction
{
    public T Invoke(T x, T y) => Invoke(Vector128.Create(x), Vector128.Create(y)).ToScalar();

    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y)
    {
        if (typeof(T) == typeof(double))
        {
            return TFunction.Invoke<DoubleLanes128, Vector128<double>>(x.AsDouble(), y.AsDouble()).As<double, T>();
        }

        (Vector128<double> xLower, Vector128<double> xUpper) = Vector128.Widen(x.AsSingle());
        (Vector128<double> yLower, Vector128<double> yUpper) = Vector128.Widen(y.AsSingle());
        return Vector128.Narrow(TFunction.Invoke<DoubleLanes128, Vector128<double>>(xLower, yLower), TFunction.Invoke<DoubleLanes128, Vector128<double>>(xUpper, yUpper)).As<float, T>();
    }

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y)
    {
        if (typeof(T) == typeof(double))
        {
            return TFunction.Invoke<DoubleLanes256, Vector256<double>>(x.AsDouble(), y.AsDouble()).As<double, T>();
        }

        (Vector256<double> xLower, Vector256<double> xUpper) = Vector256.Widen(x.AsSingle());
        (Vector256<double> yLower, Vector256<double> yUpper) = Vector256.Widen(y.AsSingle());
        return Vector256.Narrow(TFunction.Invoke<DoubleLanes256, Vector256<double>>(xLower, yLower), TFunction.Invoke<DoubleLanes256, Vector256<double>>(xUpper, yUpper)).As<float, T>();
    }

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y)
    {
        if (typeof(T) == typeof(double))
        {
            return TFunction.Invoke<DoubleLanes512, Vector512<double>>(x.AsDouble(), y.AsDouble()).As<double, T>();
        }

        (Vector512<double> xLower, Vector512<double> xUpper) = Vector512.Widen(x.AsSingle());
        (Vector512<double> yLower, Vector512<double> yUpper) = Vector512.Widen(y.AsSingle());
        return Vector512.Narrow(TFunction.Invoke<DoubleLanes512, Vector512<double>>(xLower, yLower), TFunction.Invoke<DoubleLanes512, Vector512<double>>(xUpper, yUpper)).As<float, T>();
    }
}
