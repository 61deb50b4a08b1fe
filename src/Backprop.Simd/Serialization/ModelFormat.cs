using System.Buffers.Binary;

namespace Backprop.Simd.Serialization;

/// <summary>
/// The layout of a model file, format version 2. Every number is little-endian; floating-point values are IEEE 754
/// in the file's element type (T) unless marked f64. Version 1 differs only in the checkpoint's optimizer record
/// (see CheckpointSection), and is still read.
/// </summary>
/// <remarks>
/// <code>
/// offset 0   magic         8 bytes  89 42 50 53 4D 0D 0A 1A  ("\x89BPSM\r\n\x1A")
///        8   version       u32      2 (1 is read too)
///       12   element type  u32      4 = float, 8 = double (the element size)
///       16   file length   u64      every byte of the file, checksum included
///       24   sections, each a 4-byte ASCII tag and its content, in this order:
///            ARCH  i32 input size, i32 layer count, then per layer its kind's record (LayerKind): a u8 code,
///                  i32 input size and the kind's fields (LayerKind.FileFields): Dense i32 out | LeakyReLU f64 slope |
///                  Dropout f64 rate, u64 key | the other activations none
///            PARM  i64 count, then count values of T (Network.Parameters: per Dense, weights row-major, then bias)
///            NORM  (optional) i32 n = input size, n means, n standard deviations (T)
///            CKPT  (optional) training options, optimizer (by name, as it describes itself), trainer state, history (see CheckpointSection)
///            META  i32 count, then per entry i32 length + UTF-8 key, i32 length + UTF-8 value
///  length-4  CRC-32C      u32      over bytes [0, length - 4)
/// </code>
/// <para>The magic starts with a byte above 0x7F and holds CR LF and Ctrl-Z, as PNG's does, so that transfers in text
/// mode or 7-bit channels visibly break it. The declared file length lets a reader reject truncated files and trailing
/// bytes before it parses anything, and bounds every count it reads by the bytes that really remain.</para>
/// </remarks>
internal static class ModelFormat
{
    /// <summary>Magic, version, element type and file length.</summary>
    public const int HeaderLength = 24;

    /// <summary>The CRC-32C at the end.</summary>
    public const int ChecksumLength = 4;

    /// <summary>The element type codes: the element size in bytes.</summary>
    public const uint SingleCode = 4;

    /// <inheritdoc cref="SingleCode"/>
    public const uint DoubleCode = 8;

    public static readonly uint Architecture = Tag("ARCH");

    public static readonly uint Parameters = Tag("PARM");

    public static readonly uint Normalization = Tag("NORM");

    public static readonly uint Checkpoint = Tag("CKPT");

    public static readonly uint Metadata = Tag("META");

    public static ReadOnlySpan<byte> Magic => [0x89, 0x42, 0x50, 0x53, 0x4D, 0x0D, 0x0A, 0x1A];

    /// <summary>The element type code of <typeparamref name="T"/> (float or double).</summary>
    public static uint ElementCode<T>() => typeof(T) == typeof(float) ? SingleCode : DoubleCode;

    /// <summary>The .NET type of an element type code, or null for an unknown code.</summary>
    public static Type? ElementType(uint code) => code switch
    {
        SingleCode => typeof(float),
        DoubleCode => typeof(double),
        _ => null,
    };

    /// <summary>A tag as read from the file, for messages: its four characters when printable, else hex.</summary>
    public static string DescribeTag(uint tag)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, tag);
        foreach (byte b in bytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return $"0x{tag:X8}";
            }
        }

        return $"'{System.Text.Encoding.ASCII.GetString(bytes)}'";
    }

    private static uint Tag(string name) => BinaryPrimitives.ReadUInt32LittleEndian(System.Text.Encoding.ASCII.GetBytes(name));
}
