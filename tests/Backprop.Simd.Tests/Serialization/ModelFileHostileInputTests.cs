using Backprop.Simd.Serialization;

namespace Backprop.Simd.Tests.Serialization;

/// <summary>
/// Files with a correct length and checksum whose fields lie: each is rejected with an
/// <see cref="InvalidDataException"/> that names the field and its offset, before anything is allocated for the lie.
/// </summary>
[Trait("Category", "Serialization")]
public sealed class ModelFileHostileInputTests
{
    private const int Parameters = 15;

    public static TheoryData<string> Cases => [.. s_cases.Keys];

    private static readonly Dictionary<string, (Func<byte[]> File, string Expected)> s_cases = new()
    {
        ["huge layer count"] = (
            () => RawModelFile.Start().Tag("ARCH").I32(4).I32(100_000_000).U8(1).Build(),
            "at offset 32: the layer count 100000000 needs at least 500000000 bytes but only"),
        ["no layers"] = (
            () => RawModelFile.Start().Tag("ARCH").I32(4).I32(0).Tag("PARM").I64(0).Tag("META").I32(0).Build(),
            "at offset 32: the layer count is 0"),
        ["zero input size"] = (
            () => RawModelFile.Start().Tag("ARCH").I32(0).I32(1).U8(2).I32(0).Build(),
            "at offset 28: the input size is 0; it must be in [1, 2147483647]"),
        ["unknown layer kind"] = (
            () => RawModelFile.Start().Tag("ARCH").I32(4).I32(1).U8(200).I32(4).Tag("PARM").I64(0).Tag("META").I32(0).Build(),
            "at offset 36: layer 0 has kind 200, which format version 1 does not define"),
        ["sizes that do not chain"] = (
            () => RawModelFile.Start().Tag("ARCH").I32(4).I32(2).U8(1).I32(4).I32(3).U8(1).I32(5).I32(2).Tag("PARM").I64(27).Build(),
            "at offset 46: layer 1 (Dense(5 → 2)) takes 5 inputs but layer 0 gives 3"),
        ["first layer against the input size"] = (
            () => RawModelFile.Start().Tag("ARCH").I32(4).I32(1).U8(2).I32(6).Tag("PARM").I64(0).Tag("META").I32(0).Build(),
            "at offset 37: layer 0 (Sigmoid(6)) takes 6 inputs but the network's input size is 4"),
        ["parameters beyond any array"] = (
            () => RawModelFile.Start().Tag("ARCH").I32(100_000).I32(1).U8(1).I32(100_000).I32(100_000).Tag("PARM").I64(0).Build(),
            "at offset 36: layer 0 (Dense(100000 → 100000)) brings the parameter count to 10000100000, more than an array can hold"),
        ["parameters the file does not hold"] = (
            () => RawModelFile.Start().Tag("ARCH").I32(10_000).I32(1).U8(1).I32(10_000).I32(10_000).Tag("PARM").I64(100_010_000).F32(1, 2, 3).Tag("META").I32(0).Build(),
            "at offset 49: 100010000 parameters need 400040000 bytes but only 20 remain before the checksum"),
        ["parameter count that disagrees"] = (
            () => Prefix(parameterCount: 14).Tag("META").I32(0).Build(),
            "at offset 49: the parameter count is 14 but the layers have 15 parameters"),
        ["NaN dropout rate"] = (
            () => RawModelFile.Start().Tag("ARCH").I32(4).I32(1).U8(7).I32(4).F64(double.NaN).U64(0).Tag("PARM").I64(0).Tag("META").I32(0).Build(),
            "at offset 41: the dropout rate of layer 0 is NaN; it must be in [0, 1)"),
        ["slope of one"] = (
            () => RawModelFile.Start().Tag("ARCH").I32(4).I32(1).U8(5).I32(4).F64(1).Tag("PARM").I64(0).Tag("META").I32(0).Build(),
            "at offset 41: the LeakyReLU slope of layer 0 is 1; it must be in [0, 1)"),
        ["slope that is no float"] = (
            () => RawModelFile.Start().Tag("ARCH").I32(4).I32(1).U8(5).I32(4).F64(0.1).Tag("PARM").I64(0).Tag("META").I32(0).Build(),
            "the LeakyReLU slope of layer 0 is 0.1, which is not a Single value"),
        ["unknown section"] = (
            () => Prefix().Tag("XTRA").I32(0).Build(),
            "at offset 117: expected section 'NORM', 'CKPT', 'META' but found 'XTRA'"),
        ["sections out of order"] = (
            () => Prefix().Tag("META").I32(0).Tag("NORM").Build(),
            "at offset 125: 4 bytes follow the last section, before the checksum"),
        ["normalisation of the wrong width"] = (
            () => Prefix().Tag("NORM").I32(3).F32(0, 0, 0, 1, 1, 1).Tag("META").I32(0).Build(),
            "at offset 121: the normalisation has 3 features but the network takes 4"),
        ["negative standard deviation"] = (
            () => Prefix().Tag("NORM").I32(4).F32(0, 0, 0, 0, 1, -1, 1, 1).Tag("META").I32(0).Build(),
            "at offset 145: the normalisation's standard deviation of feature 1 is -1; it must be finite and not negative"),
        ["infinite mean"] = (
            () => Prefix().Tag("NORM").I32(4).F32(0, 0, float.PositiveInfinity, 0, 1, 1, 1, 1).Tag("META").I32(0).Build(),
            "at offset 133: the normalisation's mean of feature 2 is Infinity; it must be finite"),
        ["huge metadata count"] = (
            () => Prefix().Tag("META").I32(int.MaxValue).Build(),
            "at offset 121: the metadata entry count 2147483647 needs at least 17179869176 bytes but only 0 remain"),
        ["huge string length"] = (
            () => Prefix().Tag("META").I32(1).I32(1_000_000_000).Bytes(new byte[10]).Build(),
            "at offset 125: the byte length of metadata key 0 1000000000 needs at least 1000000000 bytes but only 10 remain"),
        ["invalid UTF-8"] = (
            () => Prefix().Tag("META").I32(1).I32(3).Bytes(0x61, 0xFF, 0x62).Text("v").Build(),
            "at offset 130: metadata key 0 is not valid UTF-8"),
        ["duplicate metadata key"] = (
            () => Prefix().Tag("META").I32(2).Text("k").Text("1").Text("k").Text("2").Build(),
            "at offset 135: metadata key 1 ('k') appears twice"),
        ["negative count"] = (
            () => Prefix().Tag("META").I32(-1).Build(),
            "at offset 121: the metadata entry count is -1; a count cannot be negative"),
        ["declared length below a header"] = (
            () => WithLength(RawModelFile.Start().Build(), 7),
            "at offset 16: the declared file length 7 is shorter than a header and a checksum"),
        ["declared length of 2^63"] = (
            () => WithLength(RawModelFile.Start().Build(), long.MinValue),
            "at offset 16: the declared file length 9223372036854775808 is more than a file can hold (9223372036854775807 bytes)"),
        ["declared length of 2^64 - 1"] = (
            () => WithLength(RawModelFile.Start().Build(), -1),
            "at offset 16: the declared file length 18446744073709551615 is more than a file can hold"),
        ["unknown optimizer"] = (() => Checkpoint(optimizerKind: 3), "the optimizer kind is 3; format version 1 defines 1 (SGD) and 2 (Adam)"),
        ["negative learning rate"] = (() => Checkpoint(learningRate: -1), "the optimizer is invalid: The learning rate must be positive and finite"),
        ["optimizer state length that lies"] = (() => Checkpoint(stateLength: 1L << 40), "the optimizer state length is 1099511627776; Adam(lr 0.001, β₁ 0.9, β₂ 0.999, ε 1E-08) keeps 0 (before its first step) or 30 values for 15 parameters"),
        ["invalid batch size"] = (() => Checkpoint(batchSize: 0), "the training options are invalid: BatchSize ('0') must be a non-negative and non-zero value"),
        ["flag of two"] = (() => Checkpoint(shuffle: 2), "the shuffle flag is 2; it must be in [0, 1]"),
        ["unknown schedule"] = (() => Checkpoint(schedule: 7), "the learning-rate schedule has kind 7; format version 1 defines 0 (constant), 1 (step) and 2 (cosine)"),
        ["all-zero shuffle state"] = (() => Checkpoint(shuffleWord: 0), "the shuffle generator's state is all zero"),
        ["huge sample order"] = (() => Checkpoint(orderLength: 500_000_000), "the sample order length 500000000 needs at least 2000000000 bytes but only"),
        ["sample order that is no permutation"] = (() => Checkpoint(order: [2, 0, 2]), "the sample order is not a permutation of 0..2: entry 2 is 2"),
        ["history that disagrees with the epochs"] = (() => Checkpoint(epochs: 2), "the history holds 1 epochs but 2 were completed"),
        ["history numbered wrongly"] = (() => Checkpoint(historyEpoch: 5), "history entry 0 is numbered 5; epochs count from 1 without gaps"),
    };

    [Fact]
    public void The_hand_written_checkpoint_file_is_valid()
    {
        // The cases below differ from this file in one field each, so each failure is that field's doing.
        SavedModel<float> model = ModelTestData.Decode<float>(Checkpoint());
        Assert.Equal(1, model.Checkpoint!.EpochsCompleted);
        Assert.Equal(30, model.Checkpoint.CreateOptimizer<float>().State.Length);
        Assert.Equal("Dense(4 → 3)", model.Network.Layers[0].Description);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lies_are_caught_and_named(string name)
    {
        (Func<byte[]> build, string expected) = s_cases[name];
        byte[] file = build();

        // Warm up once so that the measurement sees the read alone.
        Assert.Throws<InvalidDataException>(() => ModelTestData.Decode<float>(file));
        long before = GC.GetAllocatedBytesForCurrentThread();
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => ModelTestData.Decode<float>(file));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("model stream at offset ", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1_000_000, $"{name}: reading allocated {allocated} bytes.");
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => ModelFile.ReadInfo(new MemoryStream(file), "model stream")).Message, StringComparison.Ordinal);
    }

    /// <summary>A float model, input 4, one Dense(4 → 3) with zero weights: the ARCH and PARM sections, 117 bytes.</summary>
    private static RawModelFile Prefix(long parameterCount = Parameters) =>
        RawModelFile.Start().Tag("ARCH").I32(4).I32(1).U8(1).I32(4).I32(3).Tag("PARM").I64(parameterCount).F32(new float[Parameters]);

    private static byte[] WithLength(byte[] file, long length)
    {
        BitConverter.GetBytes(length).CopyTo(file, 16);
        return file;
    }

    /// <summary>The prefix, a checkpoint section (Adam, one epoch done, three samples) and empty metadata; each argument can lie.</summary>
    private static byte[] Checkpoint(
        int batchSize = 8,
        byte shuffle = 1,
        byte schedule = 0,
        byte optimizerKind = 2,
        double learningRate = 0.001,
        long stateLength = 2 * Parameters,
        int epochs = 1,
        ulong shuffleWord = 5,
        int[]? order = null,
        int? orderLength = null,
        int historyEpoch = 1)
    {
        order ??= [2, 0, 1];
        RawModelFile file = Prefix().Tag("CKPT")
            .I32(10).I32(batchSize).I32(0).U8(shuffle).U64(42).I32(2).I32(0).U8(0).F64(0, 0).U8(0).F64(0).I32(0).U8(schedule)
            .U8(optimizerKind).F64(learningRate).F64(0.9, 0.999, 1e-8, 0).I64(3).I64(stateLength).F32(new float[2 * Parameters])
            .I32(epochs).I64(1).U64(shuffleWord).U64(0).U64(0).U64(0)
            .I32(orderLength ?? order.Length);
        foreach (int sample in order)
        {
            file.I32(sample);
        }

        return file.I32(1).I32(historyEpoch).F64(1, 2, double.NaN, double.NaN, 3, 0.001, 0.5).U8(0).I32(0)
            .Tag("META").I32(0)
            .Build();
    }
}
