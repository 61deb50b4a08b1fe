namespace Backprop.Simd.Serialization.Onnx;

/// <summary>Decoding an <see cref="OnnxModel"/> from bytes, a stream or a file, and encoding it back.</summary>
internal sealed partial class OnnxModel
{
    /// <summary>The largest encoded model accepted or written: about 2 GiB, protobuf's limit and the largest byte array.</summary>
    public static int MaxEncodedBytes => Array.MaxLength;

    /// <summary>
    /// Decodes a model from the bytes of a .onnx file. Unknown fields are skipped. Throws
    /// <see cref="InvalidDataException"/> naming the message, field and byte offset of the first problem.
    /// </summary>
    public static OnnxModel Decode(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data, Info);
        return Read(ref reader);
    }

    /// <summary>Decodes a model from the rest of <paramref name="stream"/>, which must hold at most <see cref="MaxEncodedBytes"/> bytes.</summary>
    public static OnnxModel Decode(Stream stream) => Decode(stream, MaxEncodedBytes);

    /// <summary>Decodes a model from a .onnx file; error messages start with the path.</summary>
    public static OnnxModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        try
        {
            return Decode(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Encodes the model in protobuf's canonical form (fields in number order).</summary>
    public byte[] Encode() => EncodeToWriter().ToArray();

    /// <summary>Encodes the model into <paramref name="stream"/>.</summary>
    public void Encode(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(EncodeToWriter().WrittenSpan);
    }

    /// <summary>Encodes the model into the file <paramref name="path"/>, replacing it.</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ProtoWriter writer = EncodeToWriter();
        using FileStream stream = File.Create(path);
        stream.Write(writer.WrittenSpan);
    }

    /// <summary>Decodes from a stream, refusing more than <paramref name="maxBytes"/> bytes before reading them.</summary>
    internal static OnnxModel Decode(Stream stream, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Decode(ReadAll(stream, maxBytes));
    }

    private ProtoWriter EncodeToWriter()
    {
        var writer = new ProtoWriter(4096);
        Write(writer);
        return writer;
    }

    private static byte[] ReadAll(Stream stream, int maxBytes)
    {
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining > maxBytes)
            {
                throw TooLarge($"{remaining} bytes", maxBytes);
            }

            var data = new byte[Math.Max(0, remaining)];
            int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            return read == data.Length ? data : data[..read];
        }

        byte[] buffer = new byte[Math.Min(maxBytes, 81920)];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length == maxBytes)
                {
                    if (stream.ReadByte() < 0)
                    {
                        return buffer;
                    }

                    throw TooLarge($"more than {maxBytes} bytes", maxBytes);
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxBytes));
            }

            int read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                return buffer[..length];
            }

            length += read;
        }
    }

    private static InvalidDataException TooLarge(string size, int maxBytes) =>
        new($"The ONNX model is {size} long; at most {maxBytes} bytes are accepted (larger models need external data, which is not supported).");
}
