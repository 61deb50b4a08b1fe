using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// y = tanh x, within about 2 ulps everywhere: for |x| &lt; 0.625 the odd Taylor series
/// |x| + |x| s (c1 + c2 s + …), s = x², in Horner form; above, 1 - 2 / (e^(2|x|) + 1), whose subtraction no longer
/// cancels; the sign of x is copied onto the result, so tanh(±0) = ±0 and NaN stays NaN. e^(2|x|) only sees |x| up to
/// <see cref="TanhCoefficients{T}.Saturation"/>: .NET's double vector exp computes a whole vector with scalar code
/// (which rounds differently) when one lane is NaN or beyond 708, which would make a value's result depend on its
/// neighbours and its address.
/// </summary>
/// <remarks>
/// <see cref="System.Numerics.Tensors.TensorPrimitives.Tanh{T}(ReadOnlySpan{T}, Span{T})"/> (10.0.0 and 11.0.0)
/// computes e^(-2|x|) - 1 without an expm1, which cancels for small |x|: tanh(±0f) comes out as ∓2^-24 and the error
/// grows past 30 000 ulps at |x| = 1e-5. The scalar form runs the 128-bit vector form on one lane, so every element
/// gets the same bits whichever part of the driver handles it.
/// </remarks>
internal readonly struct TanhOperator<T> : IUnaryOperator<T>
    where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => Invoke(Vector128.Create(x)).ToScalar();

    public Vector128<T> Invoke(Vector128<T> x)
    {
        Vector128<T> y = Vector128.Abs(x);
        Vector128<T> saturation = Vector128.Create(TanhCoefficients<T>.Saturation);
        Vector128<T> h = Vector128.ConditionalSelect(Vector128.LessThan(y, saturation), y, saturation);
        Vector128<T> e = typeof(T) == typeof(float) ? Vector128.Exp((h + h).AsSingle()).As<float, T>() : Vector128.Exp((h + h).AsDouble()).As<double, T>();
        Vector128<T> large = Vector128<T>.One - (Vector128.Create(TanhCoefficients<T>.Two) / (e + Vector128<T>.One));
        Vector128<T> s = y * y;
        T[] c = TanhCoefficients<T>.Values;
        Vector128<T> p = Vector128.Create(c[^1]);
        for (int i = c.Length - 2; i >= 0; i--)
        {
            p = (p * s) + Vector128.Create(c[i]);
        }

        Vector128<T> small = y + ((y * s) * p);
        Vector128<T> result = Vector128.ConditionalSelect(Vector128.LessThan(y, Vector128.Create(TanhCoefficients<T>.Threshold)), small, large);
        return Vector128.ConditionalSelect(Vector128.IsNaN(x), x, Vector128.CopySign(result, x));
    }

    public Vector256<T> Invoke(Vector256<T> x)
    {
        Vector256<T> y = Vector256.Abs(x);
        Vector256<T> saturation = Vector256.Create(TanhCoefficients<T>.Saturation);
        Vector256<T> h = Vector256.ConditionalSelect(Vector256.LessThan(y, saturation), y, saturation);
        Vector256<T> e = typeof(T) == typeof(float) ? Vector256.Exp((h + h).AsSingle()).As<float, T>() : Vector256.Exp((h + h).AsDouble()).As<double, T>();
        Vector256<T> large = Vector256<T>.One - (Vector256.Create(TanhCoefficients<T>.Two) / (e + Vector256<T>.One));
        Vector256<T> s = y * y;
        T[] c = TanhCoefficients<T>.Values;
        Vector256<T> p = Vector256.Create(c[^1]);
        for (int i = c.Length - 2; i >= 0; i--)
        {
            p = (p * s) + Vector256.Create(c[i]);
        }

        Vector256<T> small = y + ((y * s) * p);
        Vector256<T> result = Vector256.ConditionalSelect(Vector256.LessThan(y, Vector256.Create(TanhCoefficients<T>.Threshold)), small, large);
        return Vector256.ConditionalSelect(Vector256.IsNaN(x), x, Vector256.CopySign(result, x));
    }

    public Vector512<T> Invoke(Vector512<T> x)
    {
        Vector512<T> y = Vector512.Abs(x);
        Vector512<T> saturation = Vector512.Create(TanhCoefficients<T>.Saturation);
        Vector512<T> h = Vector512.ConditionalSelect(Vector512.LessThan(y, saturation), y, saturation);
        Vector512<T> e = typeof(T) == typeof(float) ? Vector512.Exp((h + h).AsSingle()).As<float, T>() : Vector512.Exp((h + h).AsDouble()).As<double, T>();
        Vector512<T> large = Vector512<T>.One - (Vector512.Create(TanhCoefficients<T>.Two) / (e + Vector512<T>.One));
        Vector512<T> s = y * y;
        T[] c = TanhCoefficients<T>.Values;
        Vector512<T> p = Vector512.Create(c[^1]);
        for (int i = c.Length - 2; i >= 0; i--)
        {
            p = (p * s) + Vector512.Create(c[i]);
        }

        Vector512<T> small = y + ((y * s) * p);
        Vector512<T> result = Vector512.ConditionalSelect(Vector512.LessThan(y, Vector512.Create(TanhCoefficients<T>.Threshold)), small, large);
        return Vector512.ConditionalSelect(Vector512.IsNaN(x), x, Vector512.CopySign(result, x));
    }
}

/// <summary>The constants of <see cref="TanhOperator{T}"/>, rounded to <typeparamref name="T"/> once.</summary>
internal static class TanhCoefficients<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>Below this |x| the series is used: from 0.625 on, 1 - 2 / (e^(2|x|) + 1) is within 2 ulps.</summary>
    public static readonly T Threshold = T.CreateTruncating(0.625);

    public static readonly T Two = T.CreateTruncating(2.0);

    /// <summary>20: from about 19.1 on, 1 - 2 / (e^(2|x|) + 1) rounds to 1 in double (from 9.1 in float).</summary>
    public static readonly T Saturation = T.CreateTruncating(20.0);

    /// <summary>
    /// c_n = 2^(2n+2) (2^(2n+2) - 1) B_(2n+2) / (2n+2)!, the Taylor coefficients of tanh after x (B: Bernoulli numbers):
    /// -1/3, 2/15, -17/315, …. At |x| &lt; 0.625 the terms shrink by about 0.16 each; 19 of them reach double's
    /// precision, 8 float's (checked against a 60-digit tanh: at most 1 ulp from the correctly rounded value).
    /// </summary>
    public static readonly T[] Values = Create(typeof(T) == typeof(float) ? 8 : 19);

    private static T[] Create(int count)
    {
        double[] all =
        [
            -0.3333333333333333, 0.13333333333333333, -0.05396825396825397, 0.021869488536155203, -0.008863235529902197,
            0.003592128036572481, -0.0014558343870513183, 0.000590027440945586, -0.00023912911424355248, 9.691537956929451e-05,
            -3.927832388331683e-05, 1.5918905069328964e-05, -6.451689215655431e-06, 2.6147711512907546e-06, -1.0597268320104654e-06,
            4.294911078273806e-07, -1.7406618963571648e-07, 7.054636946400968e-08, -2.859136662305254e-08,
        ];
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = T.CreateTruncating(all[i]);
        }

        return values;
    }
}
