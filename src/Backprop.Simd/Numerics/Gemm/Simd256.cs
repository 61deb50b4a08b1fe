using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Simd.Numerics;

/// <summary>The <see cref="ISimd{T, TVector}"/> operations on <see cref="Vector256{T}"/>.</summary>
internal readonly unsafe struct Simd256<T> : ISimd<T, Vector256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, T* destination) => value.Store(destination);

    public static bool CanMask => Avx.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LoadFirst(T* source, int count)
    {
        if (typeof(T) == typeof(float))
        {
            return Avx.MaskLoad((float*)source, SingleMask(count)).As<float, T>();
        }

        return Avx.MaskLoad((double*)source, DoubleMask(count)).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(Vector256<T> value, T* destination, int count)
    {
        if (typeof(T) == typeof(float))
        {
            Avx.MaskStore((float*)destination, SingleMask(count), value.AsSingle());
            return;
        }

        Avx.MaskStore((double*)destination, DoubleMask(count), value.AsDouble());
    }

    /// <summary>Lanes below <paramref name="count"/> all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> SingleMask(int count) => Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    /// <summary>Lanes below <paramref name="count"/> all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DoubleMask(int count) => Vector256.LessThan(Vector256<long>.Indices, Vector256.Create((long)count)).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector256.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Merge(Vector256<T> x, T alpha, Vector256<T> y, T beta) => (x * alpha) + (y * beta);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Accumulate(Vector256<T> x, T alpha, Vector256<T> y) => (x * alpha) + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Scale(Vector256<T> x, T alpha) => x * alpha;
}
