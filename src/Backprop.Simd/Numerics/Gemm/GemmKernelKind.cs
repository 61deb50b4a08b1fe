using System.Runtime.Intrinsics;

namespace Backprop.Simd.Numerics;

/// <summary>The instruction-set paths of the GEMM, widest first.</summary>
internal enum GemmKernelKind
{
    /// <summary>AVX-512: 12 rows x 2 Vector512 (12x32 floats, 12x16 doubles).</summary>
    Vector512,

    /// <summary>AVX2+FMA: 6 rows x 2 Vector256 (6x16 floats, 6x8 doubles).</summary>
    Vector256,

    /// <summary>SSE or ARM64 NEON: 6 rows x 2 Vector128 (6x8 floats, 6x4 doubles).</summary>
    Vector128,

    /// <summary>No SIMD: 4x4 scalars.</summary>
    Scalar,
}

/// <summary>Chooses the GEMM path once, from what the hardware and runtime accelerate.</summary>
internal static class GemmKernelSelector
{
    /// <summary>The widest accelerated path. Gates on <c>IsHardwareAccelerated</c>, which honours the runtime's
    /// switches (<c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_PreferredVectorBitWidth</c>), not on what the CPU reports.</summary>
    public static GemmKernelKind Default { get; } =
        Vector512.IsHardwareAccelerated ? GemmKernelKind.Vector512
        : Vector256.IsHardwareAccelerated ? GemmKernelKind.Vector256
        : Vector128.IsHardwareAccelerated ? GemmKernelKind.Vector128
        : GemmKernelKind.Scalar;
}
