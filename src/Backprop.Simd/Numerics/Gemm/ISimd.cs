using System.Numerics;

namespace Backprop.Simd.Numerics;

/// <summary>
/// The handful of vector operations a GEMM kernel needs, over one vector width. .NET's own ISimdVector is internal,
/// so the kernels are written once against this interface and specialised by the JIT for each width.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TVector">Vector128&lt;T&gt;, Vector256&lt;T&gt; or Vector512&lt;T&gt;.</typeparam>
internal unsafe interface ISimd<T, TVector>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVector : struct
{
    static abstract int Count { get; }

    static abstract TVector Broadcast(T value);

    static abstract TVector Load(T* source);

    static abstract void Store(TVector value, T* destination);

    /// <summary>Whether <see cref="LoadFirst"/> and <see cref="StoreFirst"/> run as masked instructions (AVX, AVX-512).</summary>
    static abstract bool CanMask { get; }

    /// <summary>The first <paramref name="count"/> elements (fewer than <see cref="Count"/>), the other lanes zero; nothing past them is read, so it may end a buffer.</summary>
    static abstract TVector LoadFirst(T* source, int count);

    /// <summary>Stores the first <paramref name="count"/> lanes; nothing past them is written.</summary>
    static abstract void StoreFirst(TVector value, T* destination, int count);

    /// <summary>a * b + c, fused where the hardware has FMA (<c>MultiplyAddEstimate</c>), so every path rounds alike on one machine.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>alpha * x + beta * y, unfused: the merge of a tile into C.</summary>
    static abstract TVector Merge(TVector x, T alpha, TVector y, T beta);

    /// <summary>alpha * x + y, unfused.</summary>
    static abstract TVector Accumulate(TVector x, T alpha, TVector y);

    /// <summary>alpha * x.</summary>
    static abstract TVector Scale(TVector x, T alpha);
}
