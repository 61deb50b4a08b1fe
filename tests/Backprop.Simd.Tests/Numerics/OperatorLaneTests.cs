using System.Numerics;
using System.Runtime.Intrinsics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// The operator structs behind the kernels must give, at every vector width, the scalar form's bits lane by lane
/// (IUnaryOperator's contract): the drivers pick whichever width fits, so an element's result must not depend on
/// where it sits. This is also the only test of the Vector512 forms on machines without AVX-512, where the drivers
/// never take them (here they run on .NET's software vectors).
/// </summary>
[Trait("Category", "Kernels")]
public sealed class OperatorLaneTests
{
    [Fact]
    public void Float_operators_agree_with_their_scalar_form_in_every_lane() => CheckAll<float>();

    [Fact]
    public void Double_operators_agree_with_their_scalar_form_in_every_lane() => CheckAll<double>();

    private static void CheckAll<T>()
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        T slope = T.CreateTruncating(0.01);
        T[] values = Values<T>();
        Unary(default(SignOperator<T>), values, "Sign");
        Unary(new LeakyReluOperator<T>(slope), values, "LeakyRelu");
        Unary(new LeakyReluOperator<T>(T.Zero), values, "LeakyRelu(0)");
        Unary(default(TanhOperator<T>), values, "Tanh");
        Unary(default(SigmoidOperator<T>), values, "Sigmoid");
        Unary(default(DoubleLaneOperator<T, ErfFunction>), values, "Erf");
        Unary(default(DoubleLaneOperator<T, ErfcFunction>), values, "Erfc");
        Unary(default(DoubleLaneOperator<T, GeluFunction>), values, "Gelu");
        Unary(default(DoubleLaneOperator<T, SiluFunction>), values, "Silu");
        Unary(new UnitGradientOperator<T, SigmoidGradientOperator<T>>(default), values, "SigmoidDerivative");
        Unary(new UnitGradientOperator<T, TanhGradientOperator<T>>(default), values, "TanhDerivative");
        Unary(new UnitGradientOperator<T, LeakyReluGradientOperator<T>>(new(slope)), values, "LeakyReluDerivative");
        Unary(new UnitGradientOperator<T, ReluGradientOperator<T>>(default), values, "ReluDerivative");
        Binary(default(SigmoidGradientOperator<T>), values, "SigmoidBackward");
        Binary(default(TanhGradientOperator<T>), values, "TanhBackward");
        Binary(new LeakyReluGradientOperator<T>(slope), values, "LeakyReluBackward");
        Binary(default(ReluGradientOperator<T>), values, "ReluBackward");
        Binary(default(DoubleLaneBinaryOperator<T, GeluGradientFunction>), values, "GeluBackward");
        Binary(default(DoubleLaneBinaryOperator<T, SiluGradientFunction>), values, "SiluBackward");
    }

    /// <summary>
    /// Specials, then values in [-3, 3], then small magnitudes (both regimes of tanh), then values in [-45, 45] (every
    /// range of erf, and of erfc after GELU's scaling by 1/√2): 16 Vector512s.
    /// </summary>
    private static T[] Values<T>()
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        var values = new T[16 * Vector512<T>.Count];
        var random = new SeededRandom(7);
        random.FillUniform(values, T.CreateTruncating(-3.0), T.CreateTruncating(3.0));
        for (int i = values.Length / 2; i < values.Length; i++)
        {
            values[i] *= T.CreateTruncating(i < values.Length * 3 / 4 ? 1e-3 : 15.0);
        }

        KernelData.Specials<T>().CopyTo(values, 0);
        return values;
    }

    private static void Unary<T, TOperator>(TOperator op, T[] values, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : struct, IUnaryOperator<T>
    {
        for (int i = 0; i < values.Length; i += Vector512<T>.Count)
        {
            Vector512<T> v = Vector512.Create<T>(values.AsSpan(i));
            Vector512<T> wide = op.Invoke(v);
            Vector256<T> lower = op.Invoke(v.GetLower());
            Vector256<T> upper = op.Invoke(v.GetUpper());
            Vector128<T> quarter = op.Invoke(v.GetLower().GetLower());
            for (int lane = 0; lane < Vector512<T>.Count; lane++)
            {
                T x = values[i + lane];
                T scalar = op.Invoke(x);
                T half = lane < Vector256<T>.Count ? lower[lane] : upper[lane - Vector256<T>.Count];
                Check(wide[lane], scalar, $"{name}<{typeof(T).Name}> Vector512, x = {FloatAssert.Describe(x)}");
                Check(half, scalar, $"{name}<{typeof(T).Name}> Vector256, x = {FloatAssert.Describe(x)}");
                if (lane < Vector128<T>.Count)
                {
                    Check(quarter[lane], scalar, $"{name}<{typeof(T).Name}> Vector128, x = {FloatAssert.Describe(x)}");
                }
            }
        }
    }

    private static void Binary<T, TOperator>(TOperator op, T[] values, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : struct, IBinaryOperator<T>
    {
        // y runs through the same values in another order, so that specials meet specials and ordinary values.
        T[] others = values.Reverse().ToArray();
        for (int i = 0; i < values.Length; i += Vector512<T>.Count)
        {
            Vector512<T> x = Vector512.Create<T>(values.AsSpan(i));
            Vector512<T> y = Vector512.Create<T>(others.AsSpan(i));
            Vector512<T> wide = op.Invoke(x, y);
            Vector256<T> lower = op.Invoke(x.GetLower(), y.GetLower());
            Vector256<T> upper = op.Invoke(x.GetUpper(), y.GetUpper());
            Vector128<T> quarter = op.Invoke(x.GetLower().GetLower(), y.GetLower().GetLower());
            for (int lane = 0; lane < Vector512<T>.Count; lane++)
            {
                T scalar = op.Invoke(x[lane], y[lane]);
                string context = $"{name}<{typeof(T).Name}>, x = {FloatAssert.Describe(x[lane])}, y = {FloatAssert.Describe(y[lane])}";
                Check(wide[lane], scalar, context + ", Vector512");
                Check(lane < Vector256<T>.Count ? lower[lane] : upper[lane - Vector256<T>.Count], scalar, context + ", Vector256");
                if (lane < Vector128<T>.Count)
                {
                    Check(quarter[lane], scalar, context + ", Vector128");
                }
            }
        }
    }

    private static void Check<T>(T vector, T scalar, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!FloatAssert.SameBits(vector, scalar))
        {
            Assert.Fail($"{context}: the vector form gives {FloatAssert.Describe(vector)}, the scalar form {FloatAssert.Describe(scalar)}.");
        }
    }
}
