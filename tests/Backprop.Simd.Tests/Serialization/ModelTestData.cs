using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Serialization;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Serialization;

/// <summary>Small seeded networks, data sets and complete saved models for the model-file tests.</summary>
internal static class ModelTestData
{
    public const int Features = 4;

    /// <summary>The architectures under test, each with its name.</summary>
    public static readonly string[] Architectures = ["tanh-softmax", "relu-dropout-leaky-sigmoid", "single-dense", "parameter-free"];

    /// <summary>A network of the named architecture, taking <see cref="Features"/> inputs.</summary>
    public static Network<T> Network<T>(string architecture, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NetworkBuilder<T> builder = Networks.Network<T>.Create(Features, seed);
        return architecture switch
        {
            "tanh-softmax" => builder.Dense(6, Activation.Tanh).Dense(3).Softmax().Build(),
            "relu-dropout-leaky-sigmoid" => builder.Dense(5, Activation.Relu).Dropout(0.3).Dense(5).LeakyRelu(0.2).Dense(2, Activation.Sigmoid).Build(),
            "single-dense" => builder.Dense(3).Build(),
            "parameter-free" => builder.Sigmoid().Build(),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "Unknown architecture."),
        };
    }

    /// <summary>Uniform features in [-3, 5): far from standard, so that a standardizer changes them.</summary>
    public static Matrix<T> Inputs<T>(int rows, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inputs = new Matrix<T>(rows, Features);
        inputs.InitializeUniform(new SeededRandom(seed), T.CreateTruncating(-3.0), T.CreateTruncating(5.0));
        return inputs;
    }

    /// <summary>One-hot targets of <paramref name="classes"/> classes, the class a seeded function of the row.</summary>
    public static Matrix<T> Targets<T>(int rows, int classes, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(seed);
        var targets = new Matrix<T>(rows, classes);
        for (int i = 0; i < rows; i++)
        {
            targets[i, random.NextInt32(classes)] = T.One;
        }

        return targets;
    }

    /// <summary>
    /// A model with everything a file can hold: a network trained for two epochs with Adam (so the optimizer has
    /// state), the standardizer of its inputs, the checkpoint and metadata with non-ASCII text.
    /// </summary>
    public static SavedModel<T> FullModel<T>(string architecture = "tanh-softmax", ulong seed = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = Network<T>(architecture, seed);
        Matrix<T> inputs = Inputs<T>(10, seed + 100);
        Standardizer<T> standardizer = Standardizer<T>.Fit(inputs);
        var model = new SavedModel<T>(network, standardizer) { Checkpoint = TrainBriefly(network, standardizer.Transform(inputs)) };
        model.Metadata["classes"] = "zero,one,two";
        model.Metadata["dataset"] = "synthétique — ünïcode ✓";
        model.Metadata["empty"] = string.Empty;
        return model;
    }

    /// <summary>The bytes <see cref="ModelFile.Save{T}(Stream, SavedModel{T})"/> writes.</summary>
    public static byte[] Encode<T>(SavedModel<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        ModelFile.Save(stream, model);
        return stream.ToArray();
    }

    /// <summary>Loads from a read-only memory stream.</summary>
    public static SavedModel<T> Decode<T>(byte[] file)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ModelFile.Load<T>(new MemoryStream(file, writable: false));

    /// <summary>A fresh, empty temporary directory.</summary>
    public static string CreateTemporaryDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "backprop-model-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static TrainingCheckpoint TrainBriefly<T>(Network<T> network, Matrix<T> inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> targets = Targets<T>(inputs.Rows, network.OutputSize, 7);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 4, Seed = 5, Schedule = LearningRateSchedule.Cosine(10, 0.1) };
        var trainer = new Trainer<T>(network, new MeanSquaredError<T>(), new Adam<T>(0.01, weightDecay: 0.001), options);
        trainer.Fit(inputs, targets);
        return trainer.CreateCheckpoint();
    }
}
