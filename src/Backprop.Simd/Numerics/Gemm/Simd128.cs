using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Simd.Numerics;

/// <summary>The <see cref="ISimd{T, TVector}"/> operations on <see cref="Vector128{T}"/>.</summary>
internal readonly unsafe struct Simd128<T> : ISimd<T, Vector128<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(T* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, T* destination) => value.Store(destination);

    public static bool CanMask => Avx.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LoadFirst(T* source, int count)
    {
        if (typeof(T) == typeof(float))
        {
            return Avx.MaskLoad((float*)source, SingleMask(count)).As<float, T>();
        }

        return Avx.MaskLoad((double*)source, DoubleMask(count)).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(Vector128<T> value, T* destination, int count)
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
    private static Vector128<float> SingleMask(int count) => Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).AsSingle();

    /// <summary>Lanes below <paramref name="count"/> all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> DoubleMask(int count) => Vector128.LessThan(Vector128<long>.Indices, Vector128.Create((long)count)).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector128.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector128.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Merge(Vector128<T> x, T alpha, Vector128<T> y, T beta) => (x * alpha) + (y * beta);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Accumulate(Vector128<T> x, T alpha, Vector128<T> y) => (x * alpha) + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Scale(Vector128<T> x, T alpha) => x * alpha;
}
