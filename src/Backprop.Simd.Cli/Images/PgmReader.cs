using System.Globalization;

namespace Backprop.Simd.Cli.Images;

/// <summary>
/// Reads Netpbm grey maps: P2 (ASCII) and P5 (binary; one byte per sample when the maximum is below 256, else two,
/// most significant first). Samples are rescaled to 0..255. Comments (#) are allowed in the header.
/// </summary>
internal static class PgmReader
{
    /// <summary>Whether <paramref name="header"/> starts like a PGM file.</summary>
    public static bool IsPgm(ReadOnlySpan<byte> header) => header.Length >= 2 && header[0] == 'P' && (header[1] == '2' || header[1] == '5');

    /// <summary>Reads a P2 or P5 file.</summary>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the file and the byte offset.</exception>
    public static GreyImage Read(string path, byte[] bytes)
    {
        var reader = new Cursor(path, bytes);
        bool binary = bytes[1] == '5';
        reader.Position = 2;
        int width = reader.ReadHeaderNumber("width", 1, GreyImage.MaxSide);
        int height = reader.ReadHeaderNumber("height", 1, GreyImage.MaxSide);
        int maximum = reader.ReadHeaderNumber("maximum value", 1, ushort.MaxValue);
        GreyImage.CheckSize(path, width, height);

        // Exactly one whitespace byte separates a P5 header from the samples. Every sample takes at least one byte
        // (two in P5 above 255, one digit and a separator in P2): the file must be long enough before anything is allocated.
        reader.Position += binary ? 1 : 0;
        int sampleBytes = binary && maximum > 255 ? 2 : 1;
        long needed = (long)width * height * sampleBytes * (binary ? 1 : 2) - (binary ? 0 : 1);
        if (bytes.Length - reader.Position < needed)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{path}': a {width}x{height} {(binary ? "P5" : "P2")} image needs {(binary ? string.Empty : "at least ")}{needed} bytes of samples from offset {reader.Position} but the file has {Math.Max(0, bytes.Length - reader.Position)}."));
        }

        var pixels = new byte[width * height];
        if (binary)
        {
            for (int i = 0; i < pixels.Length; i++)
            {
                int offset = reader.Position + (i * sampleBytes);
                int sample = sampleBytes == 1 ? bytes[offset] : (bytes[offset] << 8) | bytes[offset + 1];
                pixels[i] = Scale(sample, maximum, path, offset);
            }
        }
        else
        {
            for (int i = 0; i < pixels.Length; i++)
            {
                int offset = reader.SkipSpace();
                pixels[i] = Scale(reader.ReadNumber($"sample {i}", 0, ushort.MaxValue), maximum, path, offset);
            }
        }

        return new GreyImage(width, height, pixels);
    }

    private static byte Scale(int sample, int maximum, string path, int offset) => sample <= maximum
        ? (byte)(((sample * 255) + (maximum / 2)) / maximum)
        : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{path}': the sample {sample} at byte offset {offset} exceeds the maximum value {maximum}."));

    /// <summary>A position in the file with the few token rules PGM has.</summary>
    private sealed class Cursor(string path, byte[] bytes)
    {
        public int Position { get; set; }

        /// <summary>Skips whitespace and comments, which the header may hold; returns the new position.</summary>
        public int SkipSpace()
        {
            while (Position < bytes.Length)
            {
                if (bytes[Position] == '#')
                {
                    while (Position < bytes.Length && bytes[Position] != '\n')
                    {
                        Position++;
                    }
                }
                else if (bytes[Position] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    Position++;
                }
                else
                {
                    break;
                }
            }

            return Position;
        }

        public int ReadHeaderNumber(string what, int minimum, int maximum)
        {
            SkipSpace();
            return ReadNumber(what, minimum, maximum);
        }

        public int ReadNumber(string what, int minimum, int maximum)
        {
            int start = Position;
            long value = 0;
            while (Position < bytes.Length && bytes[Position] is >= (byte)'0' and <= (byte)'9' && value <= maximum)
            {
                value = (value * 10) + (bytes[Position++] - '0');
            }

            if (Position == start)
            {
                string found = start < bytes.Length ? $"byte 0x{bytes[start]:X2}" : "the end of the file";
                throw new InvalidDataException($"'{path}': expected the {what} (a decimal number) at byte offset {start} but found {found}.");
            }

            if (value < minimum || value > maximum)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{path}': the {what} at byte offset {start} is {(value > maximum ? $"more than {maximum}" : value.ToString(CultureInfo.InvariantCulture))}; it must be in [{minimum}, {maximum}]."));
            }

            return (int)value;
        }
    }
}
