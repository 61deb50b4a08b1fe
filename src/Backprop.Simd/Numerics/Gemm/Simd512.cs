using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Simd.Numerics;

/// <summary>The <see cref="ISimd{T, TVector}"/> operations on <see cref="Vector512{T}"/>.</summary>
internal readonly unsafe struct Simd512<T> : ISimd<T, Vector512<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, T* destination) => value.Store(destination);

    public static bool CanMask => Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LoadFirst(T* source, int count)
    {
        if (typeof(T) == typeof(float))
        {
            return Avx512F.MaskLoad((float*)source, SingleMask(count), Vector512<float>.Zero).As<float, T>();
        }

        return Avx512F.MaskLoad((double*)source, DoubleMask(count), Vector512<double>.Zero).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(Vector512<T> value, T* destination, int count)
    {
        if (typeof(T) == typeof(float))
        {
            Avx512F.MaskStore((float*)destination, SingleMask(count), value.AsSingle());
            return;
        }

        Avx512F.MaskStore((double*)destination, DoubleMask(count), value.AsDouble());
    }

    /// <summary>Lanes below <paramref name="count"/> all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SingleMask(int count) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>Lanes below <paramref name="count"/> all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> DoubleMask(int count) => Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)count)).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector512.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Merge(Vector512<T> x, T alpha, Vector512<T> y, T beta) => (x * alpha) + (y * beta);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Accumulate(Vector512<T> x, T alpha, Vector512<T> y) => (x * alpha) + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Scale(Vector512<T> x, T alpha) => x * alpha;
}
