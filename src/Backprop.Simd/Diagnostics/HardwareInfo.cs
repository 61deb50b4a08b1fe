using System.Runtime.Intrinsics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Diagnostics;

/// <summary>What this process's hardware and runtime accelerate, and which kernels the library therefore uses.</summary>
public static class HardwareInfo
{
    /// <summary>The GEMM micro-kernel path in use: <c>Vector512</c>, <c>Vector256</c>, <c>Vector128</c> or <c>Scalar</c>.</summary>
    public static string GemmPath => GemmKernelSelector.Default.ToString();

    /// <summary>Whether 512-bit vectors are hardware accelerated (AVX-512, unless <c>DOTNET_EnableAVX512=0</c>).</summary>
    public static bool IsVector512Accelerated => Vector512.IsHardwareAccelerated;

    /// <summary>Whether 256-bit vectors are hardware accelerated (AVX2, unless <c>DOTNET_EnableAVX2=0</c>).</summary>
    public static bool IsVector256Accelerated => Vector256.IsHardwareAccelerated;

    /// <summary>Whether 128-bit vectors are hardware accelerated (SSE or NEON, unless <c>DOTNET_EnableHWIntrinsic=0</c>).</summary>
    public static bool IsVector128Accelerated => Vector128.IsHardwareAccelerated;

    /// <summary>The number of processors the process may use.</summary>
    public static int ProcessorCount => Environment.ProcessorCount;

    /// <summary>A one-line summary, for logs and benchmark reports.</summary>
    /// <returns>For example <c>GEMM Vector256 (V512 off, V256 on, V128 on), 2 processors</c>.</returns>
    public static string Describe() =>
        $"GEMM {GemmPath} (V512 {OnOff(IsVector512Accelerated)}, V256 {OnOff(IsVector256Accelerated)}, V128 {OnOff(IsVector128Accelerated)}), {ProcessorCount} processors";

    private static string OnOff(bool value) => value ? "on" : "off";
}
