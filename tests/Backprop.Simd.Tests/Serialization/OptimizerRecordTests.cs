using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Serialization;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Serialization;

/// <summary>
/// A checkpoint stores its optimizer as the optimizer describes itself (format version 2: name, learning rate, named
/// hyperparameters, state size, state) and still reads version 1's SGD/Adam records. An optimizer registered nowhere
/// still loads with its weights; resuming it asks for its factory. Records that lie are named.
/// </summary>
[Trait("Category", "Serialization")]
public sealed class OptimizerRecordTests
{
    private const int Parameters = 15;

    [Theory]
    [InlineData("adam")]
    [InlineData("rmsprop")]
    public void The_writer_stores_the_optimizer_by_name_with_its_named_hyperparameters(string name)
    {
        var network = new Network<float>([new Dense<float>(new Matrix<float>(4, 3), new float[3])]);
        Optimizer<float> optimizer = name == "adam" ? new Adam<float>(0.001) : new RmsProp<float>(0.01, momentum: 0.5, centered: true);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), optimizer, new TrainingOptions { Epochs = 10, BatchSize = 8, Seed = 42, Shards = 2 });
        var shuffle = new ulong[SeededRandom.StateLength];
        new SeededRandom(42).GetState(shuffle);

        RawModelFile record = Prefix(version: 2).Tag("CKPT").Options();
        record = name == "adam"
            ? record.Text("adam").F64(0.001).I32(4).Text("beta1").F64(0.9).Text("beta2").F64(0.999).Text("epsilon").F64(1e-8).Text("weight_decay").F64(0)
                .I64(0).I32(2).I64(0)
            : record.Text("rmsprop").F64(0.01).I32(5).Text("alpha").F64(0.99).Text("epsilon").F64(1e-8).Text("momentum").F64(0.5).Text("centered").F64(1).Text("weight_decay").F64(0)
                .I64(0).I32(3).I64(0);
        byte[] expected = record
            .I32(0).I64(0).U64(shuffle[0]).U64(shuffle[1]).U64(shuffle[2]).U64(shuffle[3]).I32(0)
            .I32(0).U8(0).I32(0)
            .Tag("META").I32(0)
            .Build();

        Assert.Equal(expected, ModelTestData.Encode(new SavedModel<float>(network) { Checkpoint = trainer.CreateCheckpoint() }));
    }

    [Fact]
    public void A_version_1_checkpoint_of_sgd_still_loads_and_resumes_its_state()
    {
        float[] velocity = [.. Enumerable.Range(0, Parameters).Select(i => i * 0.25f)];
        byte[] file = Prefix(version: 1).Tag("CKPT").Options()
            .U8(1).F64(0.05).F64(0.9).U8(1).I64(7).I64(Parameters).F32(velocity)
            .Tail().Build();

        SavedModel<float> model = ModelTestData.Decode<float>(file);
        var sgd = Assert.IsType<Sgd<float>>(model.Checkpoint!.CreateOptimizer<float>());
        Assert.Equal((0.05, 0.9, true, 7L), (sgd.LearningRate, sgd.Momentum, sgd.Nesterov, sgd.StepCount));
        Assert.Equal(velocity, sgd.State.ToArray());
        Assert.Equal("sgd", model.Checkpoint.OptimizerName);
        ModelFileInfo info = ModelFile.ReadInfo(new MemoryStream(file), "v1");
        Assert.Equal((1, "SGD(lr 0.05, momentum 0.9, Nesterov)"), (info.FormatVersion, info.OptimizerDescription));
    }

    [Fact]
    public void An_optimizer_registered_nowhere_loads_with_its_weights_and_resuming_asks_for_its_factory()
    {
        byte[] file = Prefix(version: 2).Tag("CKPT").Options()
            .Text("mystery").F64(0.01).I32(1).Text("rho").F64(0.5).I64(3).I32(1).I64(Parameters).F32(new float[Parameters])
            .Tail().Build();

        SavedModel<float> model = ModelTestData.Decode<float>(file);
        Assert.Equal(Parameters, model.Network.ParameterCount);
        Assert.Equal("mystery(lr 0.01, rho 0.5)", model.Checkpoint!.OptimizerDescription);
        var e = Assert.Throws<InvalidOperationException>(() => Trainer<float>.Resume(model.Network, new SoftmaxCrossEntropy<float>(), model.Checkpoint));
        Assert.Contains("OptimizerRegistry.Register(\"mystery\", factory)", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Lies => [.. s_lies.Keys];

    private static readonly Dictionary<string, (Func<byte[]> File, string Expected)> s_lies = new()
    {
        ["empty name"] = (() => Named(name: string.Empty), "the optimizer name is empty"),
        ["huge hyperparameter count"] = (() => Named(count: 100_000_000), "the optimizer's hyperparameter count 100000000 needs at least 1300000000 bytes"),
        ["repeated hyperparameter"] = (() => Named(names: ["beta1", "beta1", "epsilon", "weight_decay"]), "the hyperparameter 'beta1' appears twice"),
        ["missing hyperparameter"] = (() => Named(names: ["beta1", "beta2", "epsilon", "decay"]), "the optimizer is invalid: The optimizer 'adam' has no hyperparameter 'decay'"),
        ["out of range"] = (() => Named(beta1: 1.5), "the optimizer is invalid: β₁ must be in [0, 1)"),
        ["state of another size"] = (() => Named(perParameter: 3), "the optimizer is invalid: The factory registered for 'adam' built"),
        ["state size beyond reason"] = (() => Named(perParameter: 1000), "the optimizer's state values per parameter is 1000; it must be in [0, 64]"),
        ["rmsprop alpha of 1"] = (() => RmsPropRecord(alpha: 1), "the optimizer is invalid: α (alpha) must be in [0, 1)"),
        ["rmsprop epsilon of 0"] = (() => RmsPropRecord(epsilon: 0), "the optimizer is invalid: ε (epsilon) must be positive and finite as a "),
        ["rmsprop momentum of 1.5"] = (() => RmsPropRecord(momentum: 1.5), "the optimizer is invalid: Momentum must be in [0, 1). (Parameter 'momentum')"),
        ["rmsprop centered of 2"] = (() => RmsPropRecord(centered: 2), "the optimizer is invalid: The centered flag must be 0 or 1"),
        ["rmsprop NaN weight decay"] = (() => RmsPropRecord(weightDecay: double.NaN), "the optimizer is invalid: Weight decay must be non-negative and finite as a "),
        ["rmsprop without centered"] = (() => RmsPropRecord(names: ["alpha", "epsilon", "momentum", "weight_decay"]), "the optimizer is invalid: The optimizer 'rmsprop' needs the hyperparameter 'centered'"),
        ["rmsprop with adam's beta1"] = (() => RmsPropRecord(names: ["alpha", "epsilon", "momentum", "beta1", "weight_decay"]), "the optimizer is invalid: The optimizer 'rmsprop' has no hyperparameter 'beta1'"),
        ["rmsprop state of a plain one for a centered one with momentum"] = (() => RmsPropRecord(perParameter: 1), "the optimizer is invalid: The factory registered for 'rmsprop' built"),
    };

    [Theory]
    [MemberData(nameof(Lies))]
    public void Lies_in_a_named_record_are_caught_and_named(string name)
    {
        (Func<byte[]> build, string expected) = s_lies[name];
        byte[] file = build();
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => ModelTestData.Decode<float>(file));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => ModelFile.ReadInfo(new MemoryStream(file), "model stream")).Message, StringComparison.Ordinal);
    }

    /// <summary>The reader checks hyperparameters as a double optimizer would; a limit of float's own is met on resuming.</summary>
    [Fact]
    public void An_rmsprop_epsilon_that_vanishes_in_float_loads_and_is_refused_by_name_on_resuming()
    {
        SavedModel<float> model = ModelTestData.Decode<float>(RmsPropRecord(epsilon: 1e-50));
        Assert.Equal("RMSProp(lr 0.001, α 0.99, ε 1E-50, momentum 0.9, centered)", model.Checkpoint!.OptimizerDescription);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer<float>.Resume(model.Network, new SoftmaxCrossEntropy<float>(), model.Checkpoint));
        Assert.Equal("epsilon", e.ParamName);
    }

    /// <summary>A version-2 file whose Adam record can lie in one field.</summary>
    private static byte[] Named(string name = "adam", int? count = null, string[]? names = null, double beta1 = 0.9, int perParameter = 2) =>
        Record(name, names ?? ["beta1", "beta2", "epsilon", "weight_decay"], [beta1, 0.999, 1e-8, 0], perParameter, count);

    /// <summary>A version-2 file whose RMSProp record (centered, with momentum: 3 state values per parameter) can lie in one field.</summary>
    private static byte[] RmsPropRecord(string[]? names = null, double alpha = 0.99, double epsilon = 1e-8, double momentum = 0.9, double centered = 1, double weightDecay = 0, int perParameter = 3) =>
        Record("rmsprop", names ?? ["alpha", "epsilon", "momentum", "centered", "weight_decay"], [alpha, epsilon, momentum, centered, weightDecay], perParameter);

    /// <summary>A version-2 file with an optimizer record of these names and values (the first names.Length of them).</summary>
    private static byte[] Record(string name, string[] names, double[] values, int perParameter, int? count = null)
    {
        RawModelFile file = Prefix(version: 2).Tag("CKPT").Options().Text(name).F64(0.001).I32(count ?? names.Length);
        for (int i = 0; i < names.Length; i++)
        {
            file.Text(names[i]).F64(values[i]);
        }

        return file.I64(1).I32(perParameter).I64(0).Tail().Build();
    }

    /// <summary>A float model, input 4, one Dense(4 → 3) with zero weights.</summary>
    private static RawModelFile Prefix(uint version) =>
        RawModelFile.Start(version).Tag("ARCH").I32(4).I32(1).U8(1).I32(4).I32(3).Tag("PARM").I64(Parameters).F32(new float[Parameters]);
}

/// <summary>The parts of a checkpoint section around the optimizer record.</summary>
file static class CheckpointParts
{
    /// <summary>The training options of a trainer with 10 epochs, batches of 8, seed 42 and 2 shards, the rest by default.</summary>
    public static RawModelFile Options(this RawModelFile file) =>
        file.I32(10).I32(8).I32(0).U8(1).U64(42).I32(2).I32(0).U8(0).F64(0, 0).U8(0).F64(0).I32(0).U8(0);

    /// <summary>The trainer's state (no epochs, a shuffle state, no sample order), an empty history and no metadata.</summary>
    public static RawModelFile Tail(this RawModelFile file) =>
        file.I32(0).I64(0).U64(5).U64(0).U64(0).U64(0).I32(0).I32(0).U8(0).I32(0).Tag("META").I32(0);
}
