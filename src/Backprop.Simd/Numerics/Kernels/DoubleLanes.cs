using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// The double-precision lane operations of one vector width that a function of several ranges (erf, GELU, SiLU) is
/// written with once (<see cref="IDoubleLaneFunction"/>), for the JIT to specialise per width. Each operation is the
/// IEEE one lane by lane, so every width gives every lane the same bits.
/// </summary>
/// <typeparam name="TVector">Vector128&lt;double&gt;, Vector256&lt;double&gt; or Vector512&lt;double&gt;.</typeparam>
internal interface IDoubleLanes<TVector>
    where TVector : struct
{
    static abstract TVector Create(double value);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>a * b + c rounded once.</summary>
    static abstract TVector FusedMultiplyAdd(TVector a, TVector b, TVector c);

    static abstract TVector Abs(TVector x);

    /// <summary>
    /// The runtime's vector e^x. A lane beyond about ±708 sends the whole vector to scalar code, whose last bit differs
    /// from the vector path's, so that a lane's result would depend on its neighbours: call <see cref="LaneMath.Exp"/>.
    /// </summary>
    static abstract TVector Exp(TVector x);

    /// <summary>|value| with the sign of <paramref name="sign"/>.</summary>
    static abstract TVector CopySign(TVector value, TVector sign);

    /// <summary>x with the low 32 bits of its significand cleared: a value whose square is exact.</summary>
    static abstract TVector ClearLowBits(TVector x);

    /// <summary>All bits set in the lanes where a &lt; b (false where either is NaN).</summary>
    static abstract TVector LessThan(TVector a, TVector b);

    /// <summary>All bits set in the lanes where a == b (false where either is NaN).</summary>
    static abstract TVector Equals(TVector a, TVector b);

    /// <summary><paramref name="ifTrue"/> in the lanes set in <paramref name="mask"/>, <paramref name="ifFalse"/> elsewhere.</summary>
    static abstract TVector Select(TVector mask, TVector ifTrue, TVector ifFalse);
}

/// <summary>128-bit double lanes.</summary>
internal readonly struct DoubleLanes128 : IDoubleLanes<Vector128<double>>
{
    private static readonly Vector128<double> s_highBits = Vector128.Create(0xFFFF_FFFF_0000_0000UL).AsDouble();

    public static Vector128<double> Create(double value) => Vector128.Create(value);

    public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;

    public static Vector128<double> Subtract(Vector128<double> a, Vector128<double> b) => a - b;

    public static Vector128<double> Multiply(Vector128<double> a, Vector128<double> b) => a * b;

    public static Vector128<double> Divide(Vector128<double> a, Vector128<double> b) => a / b;

    public static Vector128<double> FusedMultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.FusedMultiplyAdd(a, b, c);

    public static Vector128<double> Abs(Vector128<double> x) => Vector128.Abs(x);

    public static Vector128<double> Exp(Vector128<double> x) => Vector128.Exp(x);

    public static Vector128<double> CopySign(Vector128<double> value, Vector128<double> sign) => Vector128.CopySign(value, sign);

    public static Vector128<double> ClearLowBits(Vector128<double> x) => x & s_highBits;

    public static Vector128<double> LessThan(Vector128<double> a, Vector128<double> b) => Vector128.LessThan(a, b);

    public static Vector128<double> Equals(Vector128<double> a, Vector128<double> b) => Vector128.Equals(a, b);

    public static Vector128<double> Select(Vector128<double> mask, Vector128<double> ifTrue, Vector128<double> ifFalse) => Vector128.ConditionalSelect(mask, ifTrue, ifFalse);
}

/// <summary>256-bit double lanes.</summary>
internal readonly struct DoubleLanes256 : IDoubleLanes<Vector256<double>>
{
    private static readonly Vector256<double> s_highBits = Vector256.Create(0xFFFF_FFFF_0000_0000UL).AsDouble();

    public static Vector256<double> Create(double value) => Vector256.Create(value);

    public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;

    public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;

    public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;

    public static Vector256<double> Divide(Vector256<double> a, Vector256<double> b) => a / b;

    public static Vector256<double> FusedMultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

    public static Vector256<double> Abs(Vector256<double> x) => Vector256.Abs(x);

    public static Vector256<double> Exp(Vector256<double> x) => Vector256.Exp(x);

    public static Vector256<double> CopySign(Vector256<double> value, Vector256<double> sign) => Vector256.CopySign(value, sign);

    public static Vector256<double> ClearLowBits(Vector256<double> x) => x & s_highBits;

    public static Vector256<double> LessThan(Vector256<double> a, Vector256<double> b) => Vector256.LessThan(a, b);

    public static Vector256<double> Equals(Vector256<double> a, Vector256<double> b) => Vector256.Equals(a, b);

    public static Vector256<double> Select(Vector256<double> mask, Vector256<double> ifTrue, Vector256<double> ifFalse) => Vector256.ConditionalSelect(mask, ifTrue, ifFalse);
}

/// <summary>512-bit double lanes.</summary>
internal readonly struct DoubleLanes512 : IDoubleLanes<Vector512<double>>
{
    private static readonly Vector512<double> s_highBits = Vector512.Create(0xFFFF_FFFF_0000_0000UL).AsDouble();

    public static Vector512<double> Create(double value) => Vector512.Create(value);

    public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;

    public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;

    public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;

    public static Vector512<double> Divide(Vector512<double> a, Vector512<double> b) => a / b;

    public static Vector512<double> FusedMultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);

    public static Vector512<double> Abs(Vector512<double> x) => Vector512.Abs(x);

    public static Vector512<double> Exp(Vector512<double> x) => Vector512.Exp(x);

    public static Vector512<double> CopySign(Vector512<double> value, Vector512<double> sign) => Vector512.CopySign(value, sign);

    public static Vector512<double> ClearLowBits(Vector512<double> x) => x & s_highBits;

    public static Vector512<double> LessThan(Vector512<double> a, Vector512<double> b) => Vector512.LessThan(a, b);

    public static Vector512<double> Equals(Vector512<double> a, Vector512<double> b) => Vector512.Equals(a, b);

    public static Vector512<double> Select(Vector512<double> mask, Vector512<double> ifTrue, Vector512<double> ifFalse) => Vector512.ConditionalSelect(mask, ifTrue, ifFalse);
}
