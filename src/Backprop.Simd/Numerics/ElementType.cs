using System.Runtime.CompilerServices;

namespace Backprop.Simd.Numerics;

/// <summary>Guards the element types the library computes in: <see cref="float"/> and <see cref="double"/>.</summary>
internal static class ElementType<T>
{
    /// <summary><see langword="true"/> for <see cref="float"/> and <see cref="double"/>; a JIT-time constant.</summary>
    public static bool IsSupported
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float) || typeof(T) == typeof(double);
    }

    /// <summary>Throws <see cref="NotSupportedException"/> unless <typeparamref name="T"/> is float or double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfNotSupported()
    {
        if (!IsSupported)
        {
            Throw();
        }

        static void Throw() =>
            throw new NotSupportedException($"Element type {typeof(T).Name} is not supported; use float or double.");
    }
}
