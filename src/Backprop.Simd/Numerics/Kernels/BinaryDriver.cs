using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>Applies a binary operator over two spans: widest vectors first, then narrower ones, then scalars for the tail.</summary>
internal static class BinaryDriver
{
    /// <summary>destination[i] = op(x[i], y[i]); the caller has checked lengths and overlap (in place is fine).</summary>
    public static void Apply<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, TOperator op)
        where TOperator : struct, IBinaryOperator<T>
    {
        ref T xRef = ref MemoryMarshal.GetReference(x);
        ref T yRef = ref MemoryMarshal.GetReference(y);
        ref T dRef = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i + (nuint)Vector512<T>.Count <= length; i += (nuint)Vector512<T>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xRef, i), Vector512.LoadUnsafe(ref yRef, i)).StoreUnsafe(ref dRef, i);
            }
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i + (nuint)Vector256<T>.Count <= length; i += (nuint)Vector256<T>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xRef, i), Vector256.LoadUnsafe(ref yRef, i)).StoreUnsafe(ref dRef, i);
            }
        }

        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
        {
            for (; i + (nuint)Vector128<T>.Count <= length; i += (nuint)Vector128<T>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xRef, i), Vector128.LoadUnsafe(ref yRef, i)).StoreUnsafe(ref dRef, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dRef, i) = op.Invoke(Unsafe.Add(ref xRef, i), Unsafe.Add(ref yRef, i));
        }
    }
}
