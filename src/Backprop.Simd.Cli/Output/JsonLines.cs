using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Backprop.Simd.Cli.Output;

/// <summary>
/// Writes one JSON object per line with <see cref="Utf8JsonWriter"/> (no reflection, so trimming and NativeAOT keep
/// it working). Names are snake_case; a number that is NaN or infinite is written as null, which JSON can represent.
/// </summary>
internal static class JsonLines
{
    /// <summary>Writes one object, built by <paramref name="body"/>, as one line.</summary>
    /// <param name="output">The writer.</param>
    /// <param name="body">Writes the object's properties.</param>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.Flush();
    }

    /// <summary>Writes a number, or null when it is not finite.</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
