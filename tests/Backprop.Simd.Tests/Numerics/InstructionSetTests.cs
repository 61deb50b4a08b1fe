using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Backprop.Simd.Diagnostics;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// .ci/run reruns the kernel tests with instruction sets switched off. These tests assert that each switch took
/// effect, so that a knob that silently does nothing (as DOTNET_EnableAVX512F does in .NET 10) fails instead of
/// quietly testing the default path again.
/// </summary>
[Trait("Category", "InstructionSet")]
public sealed class InstructionSetTests
{
    private static bool Off(string name) => Environment.GetEnvironmentVariable(name) == "0";

    /// <summary>The CPU's own report, independent of the runtime's switches (Linux only; null elsewhere).</summary>
    private static bool? CpuHasAvx512()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || !File.Exists("/proc/cpuinfo"))
        {
            return null;
        }

        return File.ReadLines("/proc/cpuinfo").Any(line => line.StartsWith("flags", StringComparison.Ordinal) && line.Contains(" avx512f", StringComparison.Ordinal));
    }

    [Fact]
    public void The_gemm_uses_the_widest_accelerated_path()
    {
        string expected = Vector512.IsHardwareAccelerated ? "Vector512"
            : Vector256.IsHardwareAccelerated ? "Vector256"
            : Vector128.IsHardwareAccelerated ? "Vector128"
            : "Scalar";
        Assert.Equal(expected, HardwareInfo.GemmPath);
    }

    /// <summary>
    /// Asserts what this run's switches must have done: DOTNET_EnableHWIntrinsic=0 leaves only scalar code,
    /// DOTNET_EnableAVX2=0 leaves 128-bit vectors (FMA goes with AVX2), DOTNET_EnableAVX512=0 turns off all of
    /// AVX-512, and DOTNET_EnableAVX512F=0, a per-feature switch that .NET 10 no longer reads, changes nothing.
    /// </summary>
    [Fact]
    public void The_instruction_set_switches_of_this_run_took_effect()
    {
        if (Off("DOTNET_EnableHWIntrinsic"))
        {
            Assert.False(Vector128.IsHardwareAccelerated);
            Assert.False(Vector256.IsHardwareAccelerated);
            Assert.False(Vector512.IsHardwareAccelerated);
            Assert.Equal("Scalar", HardwareInfo.GemmPath);
        }
        else if (Off("DOTNET_EnableAVX2"))
        {
            Assert.False(Avx2.IsSupported);
            Assert.False(Fma.IsSupported);
            Assert.False(Vector256.IsHardwareAccelerated);
            Assert.False(Vector512.IsHardwareAccelerated);
            Assert.Equal(Vector128.IsHardwareAccelerated ? "Vector128" : "Scalar", HardwareInfo.GemmPath);
        }
        else if (Off("DOTNET_EnableAVX512"))
        {
            Assert.False(Avx512F.IsSupported);
            Assert.False(Vector512.IsHardwareAccelerated);
            Assert.NotEqual("Vector512", HardwareInfo.GemmPath);
        }
        else if (Off("DOTNET_EnableAVX512F") && CpuHasAvx512() is bool cpu)
        {
            Assert.Equal(cpu, Avx512F.IsSupported);
        }
        else
        {
            // No switch: whatever the CPU reports is what the runtime uses (AVX-512 may still be held back on
            // CPUs where the runtime avoids it for throttling, so only the implication is asserted).
            Assert.True(!Avx512F.IsSupported || CpuHasAvx512() != false);
        }
    }
}
