using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Serialization.Onnx;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Export then import gives back the same network: the same layers (less dropout, plus an appended softmax), the same
/// parameters and standardisation bit for bit, hence bitwise identical predictions; and it trains on exactly as the
/// original would.
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxExportImportRoundTripTests
{
    public static TheoryData<string, bool, bool, bool> Cases()
    {
        var cases = new TheoryData<string, bool, bool, bool>();
        foreach (string architecture in OnnxTestNetworks.RoundTripArchitectures.Concat(OnnxTestNetworks.FloatOnlyArchitectures))
        {
            foreach (bool isDouble in OnnxTestNetworks.FloatOnlyArchitectures.Contains(architecture) ? [false] : (bool[])[false, true])
            {
                cases.Add(architecture, isDouble, false, false);
                cases.Add(architecture, isDouble, true, architecture != "softmax");
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_trip_predicts_bit_for_bit(string architecture, bool isDouble, bool normalize, bool appendSoftmax)
    {
        if (isDouble)
        {
            Check<double>(architecture, normalize, appendSoftmax);
        }
        else
        {
            Check<float>(architecture, normalize, appendSoftmax);
        }
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(1.0 / 3)]
    [InlineData(0.0)]
    public void A_double_leaky_slope_comes_back_exactly(double slope)
    {
        Network<double> network = Network<double>.Create(3, seed: 1).Dense(4).LeakyRelu(slope).Dense(2).Build();
        using var stream = new MemoryStream();
        OnnxExporter.Export(stream, network);
        var imported = (LeakyRelu<double>)OnnxImporter.Import<double>(stream.ToArray()).Network.Layers[1];
        Assert.Equal(BitConverter.DoubleToInt64Bits(slope), BitConverter.DoubleToInt64Bits(imported.Slope));
    }

    /// <summary>GELU comes back from the Erf form written below opset 20 and from the Gelu operator from 20 on.</summary>
    [Theory]
    [InlineData(13)]
    [InlineData(19)]
    [InlineData(20)]
    [InlineData(23)]
    public void Gelu_comes_back_from_either_form(int opset)
    {
        Network<float> network = OnnxTestNetworks.Build<float>("gelu", seed: 4);
        using var stream = new MemoryStream();
        OnnxExporter.Export(stream, network, new OnnxExportOptions<float> { OpsetVersion = opset });
        Assert.Equal(opset >= 20, OnnxModelReader.Read(stream.ToArray()).Graph!.Nodes.Any(n => n.OpType == "Gelu"));
        Network<float> imported = OnnxImporter.Import<float>(stream.ToArray()).Network;

        Assert.Equal(["Dense(6 → 8)", "GELU(8)", "Dense(8 → 3)"], imported.Layers.Select(l => l.Description));
        Matrix<float> inputs = OnnxTestNetworks.Inputs<float>(20, network.InputSize, seed: 5);
        Assert.Equal(Bits(network.Predict(inputs).AsSpan().ToArray()), Bits(imported.Predict(inputs).AsSpan().ToArray()));
    }

    [Fact]
    public void Imported_network_trains_on_exactly_as_the_original()
    {
        Network<double> original = OnnxTestNetworks.Build<double>("relu", seed: 5);
        using var stream = new MemoryStream();
        OnnxExporter.Export(stream, original);
        stream.Position = 0;
        Network<double> imported = OnnxImporter.Import<double>(stream).Network;

        Matrix<double> inputs = OnnxTestNetworks.Inputs<double>(64, original.InputSize, seed: 6);
        // A teacher network of the same shape makes the targets learnable.
        Matrix<double> targets = OnnxTestNetworks.Build<double>("relu", seed: 99).Predict(inputs);
        var history = new List<TrainingHistory>();
        foreach (Network<double> network in (Network<double>[])[original, imported])
        {
            var trainer = new Trainer<double>(network, new MeanSquaredError<double>(), new Adam<double>(0.01), new TrainingOptions { Epochs = 20, BatchSize = 16, Shards = 1, Seed = 3 });
            history.Add(trainer.Fit(inputs, targets));
        }

        Assert.True(history[1][^1].DataLoss < 0.5 * history[1][0].DataLoss, $"The imported network did not learn: loss {history[1][0].DataLoss} → {history[1][^1].DataLoss}.");
        Assert.Equal(history[0].Select(e => e.DataLoss), history[1].Select(e => e.DataLoss));
        Assert.Equal(Bits(original.Parameters.ToArray()), Bits(imported.Parameters.ToArray()));
    }

    private static void Check<T>(string architecture, bool normalize, bool appendSoftmax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong seed = (ulong)architecture.Length * 17;
        Network<T> network = OnnxTestNetworks.Build<T>(architecture, seed);
        Standardizer<T>? normalization = normalize ? OnnxTestNetworks.Normalization<T>(network.InputSize, seed + 1) : null;
        using var stream = new MemoryStream();
        OnnxExporter.Export(stream, network, new OnnxExportOptions<T> { Normalization = normalization, AppendSoftmax = appendSoftmax });
        OnnxImportResult<T> imported = OnnxImporter.Import<T>(stream.ToArray());

        string[] layers = [.. network.Layers.Where(l => l is not Dropout<T>).Select(l => l.Description)];
        Assert.Equal(appendSoftmax ? [.. layers, $"Softmax({network.OutputSize})"] : layers, imported.Network.Layers.Select(l => l.Description));
        Assert.Equal(Bits(network.Parameters.ToArray()), Bits(imported.Network.Parameters.ToArray()));
        if (normalization is null)
        {
            Assert.Null(imported.Normalization);
        }
        else
        {
            Assert.NotNull(imported.Normalization);
            Assert.Equal(Bits(normalization.Mean.ToArray()), Bits(imported.Normalization.Mean.ToArray()));
            Assert.Equal(Bits(normalization.Scale.ToArray()), Bits(imported.Normalization.Scale.ToArray()));
        }

        Matrix<T> inputs = OnnxTestNetworks.Inputs<T>(100, network.InputSize, seed + 2);
        Matrix<T> expected = network.Predict(normalization?.Transform(inputs) ?? inputs);
        if (appendSoftmax)
        {
            Kernels.SoftmaxRows<T>(expected, expected);
        }

        Matrix<T> actual = imported.Network.Predict(imported.Normalization?.Transform(inputs) ?? inputs);
        Assert.Equal(Bits(expected.AsSpan().ToArray()), Bits(actual.AsSpan().ToArray()));
        Assert.DoesNotContain(actual.AsSpan().ToArray(), v => !T.IsFinite(v));
    }

    private static long[] Bits<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. values.Select(v => typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits(float.CreateTruncating(v)) : BitConverter.DoubleToInt64Bits(double.CreateTruncating(v)))];
}
