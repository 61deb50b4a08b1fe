using System.Buffers.Binary;
using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Data;

namespace Backprop.Simd.Tests.Serialization;

/// <summary>
/// Every single-byte change and every truncation of small model files is rejected with
/// <see cref="InvalidDataException"/>; newer versions, the wrong element type, foreign and trailing bytes get messages
/// that say so.
/// </summary>
[Trait("Category", "Serialization")]
public sealed class ModelFileCorruptionTests
{
    [Fact]
    public void Every_single_byte_change_of_a_full_float_model_is_rejected() =>
        EveryByteChangeIsRejected<float>(ModelTestData.Encode(ModelTestData.FullModel<float>("relu-dropout-leaky-sigmoid")));

    [Fact]
    public void Every_single_byte_change_of_a_bare_double_model_is_rejected() =>
        EveryByteChangeIsRejected<double>(ModelTestData.Encode(new Backprop.Simd.Serialization.SavedModel<double>(ModelTestData.Network<double>("tanh-softmax", 6))));

    [Fact]
    public void Every_truncation_is_rejected()
    {
        byte[] file = ModelTestData.Encode(ModelTestData.FullModel<float>());
        for (int length = 0; length < file.Length; length++)
        {
            byte[] truncated = file[..length];
            AssertRejected<float>(new MemoryStream(truncated, writable: false), $"truncated to {length} bytes");
            AssertRejected<float>(new NonSeekableStream(new MemoryStream(truncated, writable: false)), $"truncated to {length} bytes, unseekable");
        }
    }

    [Fact]
    public void Truncation_and_trailing_bytes_are_named_with_their_offsets()
    {
        byte[] file = ModelTestData.Encode(ModelTestData.FullModel<float>());
        Assert.Contains($"at offset 100: the file is truncated: its header declares {file.Length} bytes but it ends after 100", Message<float>(file[..100]), StringComparison.Ordinal);
        Assert.Contains("at offset 10: the file is truncated: it ends inside the 24-byte header", Message<float>(file[..10]), StringComparison.Ordinal);
        Assert.Contains("at offset 0: the file is empty", Message<float>([]), StringComparison.Ordinal);
        Assert.Contains($"at offset {file.Length}: 3 bytes of trailing data follow the end of the model", Message<float>([.. file, 1, 2, 3]), StringComparison.Ordinal);

        var pipe = new NonSeekableStream(new MemoryStream([.. file, 9]));
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<float>(pipe));
        Assert.Contains("1 bytes of trailing data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flipped_weight_fails_the_checksum()
    {
        byte[] file = ModelTestData.Encode(ModelTestData.FullModel<double>());
        file[120] ^= 0x01;
        string message = Message<double>(file);
        Assert.Matches(@"at offset \d+: checksum mismatch: the file stores CRC-32C 0x[0-9A-F]{8} but its bytes 0\.\.\d+ give 0x[0-9A-F]{8}; the file is corrupt", message);
    }

    [Fact]
    public void A_newer_format_version_asks_for_an_update()
    {
        byte[] file = ModelTestData.Encode(ModelTestData.FullModel<float>());
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 3);
        string directory = ModelTestData.CreateTemporaryDirectory();
        try
        {
            string path = Path.Combine(directory, "future.bpm");
            File.WriteAllBytes(path, file);
            InvalidDataException load = Assert.Throws<InvalidDataException>(() => ModelFile.Load<float>(path));
            InvalidDataException info = Assert.Throws<InvalidDataException>(() => ModelFile.ReadInfo(path));
            foreach (InvalidDataException e in (InvalidDataException[])[load, info])
            {
                Assert.Equal(
                    $"model file '{path}' at offset 8: model file format version 3 is newer than the supported version 2; update Backprop.Simd.",
                    e.Message);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Version_zero_is_rejected() =>
        Assert.Contains("the format version is 0", Message<float>(RawModelFile.Start(version: 0).Build()), StringComparison.Ordinal);

    [Fact]
    public void Loading_with_the_other_element_type_names_both()
    {
        byte[] single = ModelTestData.Encode(ModelTestData.FullModel<float>());
        byte[] wide = ModelTestData.Encode(ModelTestData.FullModel<double>());

        Assert.Contains("the model's element type is Single but it was loaded as Double (Load<Double>); call Load<Single>", Message<double>(single), StringComparison.Ordinal);
        Assert.Contains("the model's element type is Double but it was loaded as Single (Load<Single>); call Load<Double>", Message<float>(wide), StringComparison.Ordinal);
        Assert.Equal(typeof(float), ModelFile.ReadInfo(new MemoryStream(single), "single").ElementType);
        Assert.Equal(typeof(double), ModelFile.ReadInfo(new MemoryStream(wide), "wide").ElementType);
    }

    [Fact]
    public void Foreign_files_are_not_mistaken_for_models()
    {
        Assert.Contains("this is not a Backprop.Simd model file: it starts with 0000080300000002", Message<float>(DataTestFiles.Encode([2, 1, 1], [7, 8])), StringComparison.Ordinal);
        Assert.Contains("it starts with 68656C6C6F2C2077", Message<float>("hello, world\n"u8.ToArray()), StringComparison.Ordinal);

        // Text-mode transfer turns LF into CR LF: the magic's CR LF catches it.
        byte[] file = ModelTestData.Encode(ModelTestData.FullModel<float>());
        byte[] mangled = [.. file[..5], 0x0D, .. file[5..]];
        Assert.Contains("not a Backprop.Simd model file", Message<float>(mangled), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_element_types_are_rejected() =>
        Assert.Contains("at offset 12: the element type code is 2", Message<float>(RawModelFile.Start(elementSize: 2).Build()), StringComparison.Ordinal);

    private static void EveryByteChangeIsRejected<T>(byte[] file)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(17);
        for (int offset = 0; offset < file.Length; offset++)
        {
            byte original = file[offset];
            byte other = (byte)(original + 1 + random.NextInt32(255));
            foreach (byte changed in (byte[])[(byte)(original ^ 0xFF), other])
            {
                file[offset] = changed;
                AssertRejected<T>(new MemoryStream(file, writable: false), $"byte {offset} changed from 0x{original:X2} to 0x{changed:X2}");
                if (changed == other)
                {
                    Assert.Throws<InvalidDataException>(() => ModelFile.ReadInfo(new MemoryStream(file, writable: false), "model stream"));
                }
            }

            file[offset] = original;
        }

        // Unchanged, it still loads: the failures above were the changes' doing.
        Assert.NotNull(ModelTestData.Decode<T>(file));
    }

    private static void AssertRejected<T>(Stream stream, string change)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            ModelFile.Load<T>(stream);
        }
        catch (InvalidDataException e)
        {
            Assert.StartsWith("model stream at offset ", e.Message, StringComparison.Ordinal);
            return;
        }
        catch (Exception e)
        {
            Assert.Fail($"{change}: {e.GetType().Name}: {e.Message}");
        }

        Assert.Fail($"{change}: the file loaded.");
    }

    private static string Message<T>(byte[] file)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Assert.Throws<InvalidDataException>(() => ModelFile.Load<T>(new MemoryStream(file, writable: false))).Message;
}
