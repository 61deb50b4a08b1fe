using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Data;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Serialization;

/// <summary>Saving and loading keep every bit: weights, predictions, standardisation, checkpoint and metadata.</summary>
[Trait("Category", "Serialization")]
public sealed class ModelFileRoundTripTests
{
    public static TheoryData<string> Architectures => [.. ModelTestData.Architectures];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Float_models_round_trip_bitwise(string architecture) => RoundTrip<float>(architecture);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Double_models_round_trip_bitwise(string architecture) => RoundTrip<double>(architecture);

    [Fact]
    public void A_model_without_extras_round_trips()
    {
        var model = new SavedModel<double>(ModelTestData.Network<double>("tanh-softmax", 3));
        SavedModel<double> loaded = ModelTestData.Decode<double>(ModelTestData.Encode(model));

        FloatAssert.SameBits<double>(loaded.Network.Parameters, model.Network.Parameters, "parameters");
        Assert.Null(loaded.Normalization);
        Assert.Null(loaded.Checkpoint);
        Assert.Empty(loaded.Metadata);
    }

    [Fact]
    public void Layer_hyperparameters_are_preserved()
    {
        var model = new SavedModel<float>(ModelTestData.Network<float>("relu-dropout-leaky-sigmoid", 8));
        SavedModel<float> loaded = ModelTestData.Decode<float>(ModelTestData.Encode(model));

        Dropout<float> dropout = Assert.IsType<Dropout<float>>(loaded.Network.Layers[2]);
        Dropout<float> original = Assert.IsType<Dropout<float>>(model.Network.Layers[2]);
        Assert.Equal(0.3, dropout.Rate);
        Assert.Equal(original.Key, dropout.Key);
        Assert.Equal(0.2f, Assert.IsType<LeakyRelu<float>>(loaded.Network.Layers[4]).Slope);
        Assert.Equal(model.Network.Layers.Select(l => l.GetType()), loaded.Network.Layers.Select(l => l.GetType()));
    }

    [Fact]
    public void Metadata_keeps_its_order_and_text()
    {
        SavedModel<float> model = ModelTestData.FullModel<float>();
        model.Metadata["zeta"] = "last";
        model.Metadata["alpha"] = "after zeta";
        SavedModel<float> loaded = ModelTestData.Decode<float>(ModelTestData.Encode(model));

        Assert.Equal(model.Metadata.ToArray(), loaded.Metadata.ToArray());
        Assert.Equal(["classes", "dataset", "empty", "zeta", "alpha"], loaded.Metadata.Keys);
        Assert.Equal("synthétique — ünïcode ✓", loaded.Metadata["dataset"]);
    }

    [Fact]
    public void Saving_twice_gives_the_same_bytes()
    {
        SavedModel<double> model = ModelTestData.FullModel<double>();
        Assert.Equal(ModelTestData.Encode(model), ModelTestData.Encode(model));
    }

    [Fact]
    public void Files_and_unseekable_streams_load_alike()
    {
        SavedModel<float> model = ModelTestData.FullModel<float>("relu-dropout-leaky-sigmoid");
        byte[] bytes = ModelTestData.Encode(model);
        string directory = ModelTestData.CreateTemporaryDirectory();
        try
        {
            string path = Path.Combine(directory, "model.bpm");
            ModelFile.Save(path, model);
            Assert.Equal(bytes, File.ReadAllBytes(path));

            SavedModel<float> fromFile = ModelFile.Load<float>(path);
            SavedModel<float> fromPipe = ModelFile.Load<float>(new NonSeekableStream(new MemoryStream(bytes)));
            Assert.Equal(bytes, ModelTestData.Encode(fromFile));
            Assert.Equal(bytes, ModelTestData.Encode(fromPipe));
            Assert.Equal([path], Directory.GetFiles(directory).AsEnumerable());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_model_is_read_from_the_streams_current_position()
    {
        byte[] model = ModelTestData.Encode(ModelTestData.FullModel<double>());
        var stream = new MemoryStream();
        stream.Write([1, 2, 3]);
        stream.Write(model);
        stream.Position = 3;

        SavedModel<double> loaded = ModelFile.Load<double>(stream);
        Assert.Equal(model, ModelTestData.Encode(loaded));
    }

    [Fact]
    public void Read_info_summarises_without_loading()
    {
        SavedModel<float> model = ModelTestData.FullModel<float>("relu-dropout-leaky-sigmoid");
        string directory = ModelTestData.CreateTemporaryDirectory();
        try
        {
            string path = Path.Combine(directory, "model.bpm");
            ModelFile.Save(path, model);
            ModelFileInfo info = ModelFile.ReadInfo(path);

            Assert.Equal(2, info.FormatVersion);
            Assert.Equal(typeof(float), info.ElementType);
            Assert.Equal(new FileInfo(path).Length, info.FileLength);
            Assert.Equal(ModelTestData.Features, info.InputSize);
            Assert.Equal(2, info.OutputSize);
            Assert.Equal(model.Network.ParameterCount, info.ParameterCount);
            Assert.Equal(model.Network.Layers.Select(l => l.Description), info.LayerDescriptions);
            Assert.True(info.HasNormalization);
            Assert.True(info.HasCheckpoint);
            Assert.Equal(2, info.EpochsCompleted);
            Assert.Equal("AdamW(lr 0.01, β₁ 0.9, β₂ 0.999, ε 1E-08, weight decay 0.001)", info.OptimizerDescription);
            Assert.Equal(model.Metadata.ToArray(), info.Metadata.ToArray());
            Assert.Contains("LeakyReLU(5, slope 0.2)", info.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Read_info_of_a_bare_model_reports_no_extras()
    {
        var model = new SavedModel<double>(ModelTestData.Network<double>("single-dense", 2));
        ModelFileInfo info = ModelFile.ReadInfo(new MemoryStream(ModelTestData.Encode(model)), "bare");

        Assert.Equal(typeof(double), info.ElementType);
        Assert.Equal(["Dense(4 → 3)"], info.LayerDescriptions);
        Assert.False(info.HasNormalization);
        Assert.False(info.HasCheckpoint);
        Assert.Null(info.EpochsCompleted);
        Assert.Null(info.OptimizerDescription);
        Assert.Empty(info.Metadata);
    }

    [Fact]
    public void Predict_applies_the_saved_standardisation()
    {
        SavedModel<double> loaded = ModelTestData.Decode<double>(ModelTestData.Encode(ModelTestData.FullModel<double>()));
        Matrix<double> raw = ModelTestData.Inputs<double>(5, 77);

        Matrix<double> expected = loaded.Network.Predict(loaded.Normalization!.Transform(raw));
        Matrix<double> unstandardised = loaded.Network.Predict(raw);
        Matrix<double> actual = loaded.Predict(raw);

        FloatAssert.SameBits<double>(actual.AsSpan(), expected.AsSpan(), "predictions");
        Assert.NotEqual(unstandardised.AsSpan().ToArray(), actual.AsSpan().ToArray());
    }

    [Fact]
    public void A_standardizer_of_the_wrong_width_is_refused()
    {
        var standardizer = new Standardizer<float>([1, 2], [1, 1]);
        ArgumentException e = Assert.Throws<ArgumentException>(() => new SavedModel<float>(ModelTestData.Network<float>("single-dense", 1), standardizer));
        Assert.Contains("The standardizer has 2 features but the network takes 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crc32c_matches_the_published_check_value_in_both_implementations()
    {
        byte[] check = "123456789"u8.ToArray();
        Assert.Equal(0xE3069283u, Crc32C.Compute(check));
        Assert.Equal(0xE3069283u, Crc32C.Finish(Crc32C.AppendPortable(Crc32C.Initial, check)));

        // Every length and alignment the hardware path splits into 8-byte words and a tail.
        byte[] data = DataTestFiles.RandomBytes(300, 11);
        for (int start = 0; start < 9; start++)
        {
            for (int length = 0; length + start <= data.Length; length += 7)
            {
                ReadOnlySpan<byte> span = data.AsSpan(start, length);
                Assert.Equal(Crc32C.AppendPortable(Crc32C.Initial, span), Crc32C.Append(Crc32C.Initial, span));
            }
        }
    }

    private static void RoundTrip<T>(string architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SavedModel<T> model = ModelTestData.FullModel<T>(architecture);
        byte[] bytes = ModelTestData.Encode(model);
        SavedModel<T> loaded = ModelTestData.Decode<T>(bytes);

        FloatAssert.SameBits<T>(loaded.Network.Parameters, model.Network.Parameters, "parameters");
        Assert.Equal(model.Network.Layers.Select(l => l.Description), loaded.Network.Layers.Select(l => l.Description));
        Matrix<T> inputs = ModelTestData.Inputs<T>(9, 55);
        FloatAssert.SameBits<T>(loaded.Predict(inputs).AsSpan(), model.Predict(inputs).AsSpan(), "predictions");
        FloatAssert.SameBits(loaded.Normalization!.Mean, model.Normalization!.Mean, "means");
        FloatAssert.SameBits(loaded.Normalization.StandardDeviation, model.Normalization.StandardDeviation, "standard deviations");
        Assert.Equal(model.Metadata.ToArray(), loaded.Metadata.ToArray());

        TrainingCheckpoint saved = model.Checkpoint!;
        TrainingCheckpoint restored = loaded.Checkpoint!;
        Assert.Equal(saved.EpochsCompleted, restored.EpochsCompleted);
        Assert.Equal(saved.StepsCompleted, restored.StepsCompleted);
        Assert.Equal(saved.OptimizerDescription, restored.OptimizerDescription);
        Assert.Equal(saved.OptimizerStepCount, restored.OptimizerStepCount);
        FloatAssert.SameBits(restored.CreateOptimizer<T>().State, saved.CreateOptimizer<T>().State, "optimizer state");
        Assert.Equal(saved.ShuffleState.ToArray(), restored.ShuffleState.ToArray());
        Assert.Equal(saved.SampleOrder.ToArray(), restored.SampleOrder.ToArray());
        Assert.Equal(saved.History.ToArray(), restored.History.ToArray());
        Assert.Equal(saved.Options.Schedule.Description, restored.Options.Schedule.Description);
        Assert.Equal(saved.Options.Seed, restored.Options.Seed);

        // The loaded model saves to the very same bytes: nothing was lost or changed on the way.
        Assert.Equal(bytes, ModelTestData.Encode(loaded));
    }
}
