using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// The masked first-lanes load and store the row kernel ends a row with: lanes past the count read as zero whatever
/// memory holds there, and a store leaves everything past the count untouched, for every count below the width.
/// </summary>
[Trait("Category", "Kernels")]
public sealed unsafe class SimdMaskTests
{
    [Fact]
    public void Vector512_float() => Check<float, Vector512<float>, Simd512<float>>(Avx512F.IsSupported);

    [Fact]
    public void Vector512_double() => Check<double, Vector512<double>, Simd512<double>>(Avx512F.IsSupported);

    [Fact]
    public void Vector256_float() => Check<float, Vector256<float>, Simd256<float>>(Avx.IsSupported);

    [Fact]
    public void Vector256_double() => Check<double, Vector256<double>, Simd256<double>>(Avx.IsSupported);

    [Fact]
    public void Vector128_float() => Check<float, Vector128<float>, Simd128<float>>(Avx.IsSupported);

    [Fact]
    public void Vector128_double() => Check<double, Vector128<double>, Simd128<double>>(Avx.IsSupported);

    private static void Check<T, TVector, TSimd>(bool expectMasking)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : ISimd<T, TVector>
    {
        Assert.Equal(expectMasking, TSimd.CanMask);
        if (!TSimd.CanMask)
        {
            return;
        }

        int w = TSimd.Count;
        var source = new T[w];
        var loaded = new T[w];
        var stored = new T[w];
        for (int count = 1; count < w; count++)
        {
            for (int i = 0; i < w; i++)
            {
                source[i] = i < count ? T.CreateChecked(i + 1) : T.NaN;
                stored[i] = T.CreateChecked(-7);
            }

            fixed (T* s = source, l = loaded, d = stored)
            {
                TVector v = TSimd.LoadFirst(s, count);
                TSimd.Store(v, l);
                TSimd.StoreFirst(v, d, count);
            }

            for (int i = 0; i < w; i++)
            {
                Assert.Equal(i < count ? T.CreateChecked(i + 1) : T.Zero, loaded[i]);
                Assert.Equal(i < count ? T.CreateChecked(i + 1) : T.CreateChecked(-7), stored[i]);
            }
        }
    }
}
