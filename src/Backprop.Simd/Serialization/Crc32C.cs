using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Simd.Serialization;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of iSCSI, ext4 and SSE4.2's <c>crc32</c>
/// instruction: it detects every error burst up to 32 bits (so every single-byte change) and misses random damage
/// with probability 2⁻³². Written here because the library may reference no package but System.Numerics.Tensors.
/// </summary>
/// <remarks>
/// <see cref="Append"/> uses the SSE4.2 or ARMv8 CRC instructions (8 bytes per instruction) where present, else a
/// table (<see cref="AppendPortable"/>); both give the same values. The state passed between calls is the raw
/// register: start with <see cref="Initial"/> and finish with <see cref="Finish"/> (the standard pre- and post-inversion).
/// </remarks>
internal static class Crc32C
{
    /// <summary>The register before any byte.</summary>
    public const uint Initial = 0xFFFFFFFF;

    private const uint Polynomial = 0x82F63B78;

    private static readonly uint[] s_table = CreateTable();

    /// <summary>The checksum of a whole buffer.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Initial, data));

    /// <summary>The final checksum from the register.</summary>
    public static uint Finish(uint crc) => ~crc;

    /// <summary>Feeds <paramref name="data"/> into the register <paramref name="crc"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong wide = crc;
            while (data.Length >= 8)
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }

            crc = (uint)wide;
            foreach (byte b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }

            return crc;
        }

        if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= 8)
            {
                crc = Crc32.Arm64.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }

            foreach (byte b in data)
            {
                crc = Crc32.ComputeCrc32C(crc, b);
            }

            return crc;
        }

        return AppendPortable(crc, data);
    }

    /// <summary>The table-driven update, one byte at a time: the fallback, and the reference the tests compare with.</summary>
    public static uint AppendPortable(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            crc = s_table[(byte)(crc ^ b)] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
