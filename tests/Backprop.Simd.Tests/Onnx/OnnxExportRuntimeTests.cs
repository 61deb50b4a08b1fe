using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Exported networks load in ONNX Runtime and compute what the library computes, on 100 inputs, for every
/// architecture, both element types, with and without input standardisation and an appended softmax; batches of 100
/// and of 1 go through the same model (the batch dimension is symbolic).
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxExportRuntimeTests
{
    public static TheoryData<string, bool, bool, bool> Cases()
    {
        var cases = new TheoryData<string, bool, bool, bool>();
        foreach (string architecture in OnnxTestNetworks.Architectures.Concat(OnnxTestNetworks.FloatOnlyArchitectures))
        {
            foreach (bool isDouble in OnnxTestNetworks.FloatOnlyArchitectures.Contains(architecture) ? [false] : (bool[])[false, true])
            {
                foreach (bool normalize in (bool[])[false, true])
                {
                    foreach (bool appendSoftmax in (bool[])[false, true])
                    {
                        if (!(appendSoftmax && architecture == "softmax"))
                        {
                            cases.Add(architecture, isDouble, normalize, appendSoftmax);
                        }
                    }
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_runtime_computes_what_the_library_computes(string architecture, bool isDouble, bool normalize, bool appendSoftmax)
    {
        if (isDouble)
        {
            Check<double>(architecture, normalize, appendSoftmax, opset: 17, tolerance: 1e-12);
        }
        else
        {
            Check<float>(architecture, normalize, appendSoftmax, opset: 17, tolerance: 1e-6);
        }
    }

    public static TheoryData<int> Opsets => [.. Enumerable.Range(OnnxOpsets.OldestExport, OnnxOpsets.Newest - OnnxOpsets.OldestExport + 1)];

    /// <summary>
    /// Every opset the exporter accepts, with every layer kind: leaky ReLU at the default slope (which a float attribute
    /// would round) and at others, in float as the LeakyRelu operator and in double as Max(x, slope x), which ONNX
    /// Runtime runs at every opset where it has no double LeakyRelu; GELU in float, as the Gelu operator from opset 20
    /// and as its Erf form before.
    /// </summary>
    [Theory]
    [MemberData(nameof(Opsets))]
    public void Every_supported_opset_runs_every_layer_kind(int opset)
    {
        foreach (string architecture in OnnxTestNetworks.RoundTripArchitectures)
        {
            Check<float>(architecture, normalize: true, appendSoftmax: architecture != "softmax", opset, tolerance: 1e-6);
            Check<double>(architecture, normalize: true, appendSoftmax: architecture != "softmax", opset, tolerance: 1e-12);
        }

        Check<float>("gelu", normalize: true, appendSoftmax: true, opset, tolerance: 1e-6);
    }

    /// <summary>
    /// A double GELU is refused with a message naming the layer, because ONNX Runtime 1.32 has no double Erf (nor Gelu)
    /// kernel: a double graph of either does not load, where the float one does. When this test fails on that second point, the refusal can go.
    /// </summary>
    [Theory]
    [InlineData(19)]
    [InlineData(20)]
    public void A_double_gelu_is_refused_as_onnx_runtime_cannot_run_it(int opset)
    {
        Network<double> network = OnnxTestNetworks.Build<double>("gelu", seed: 3);
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(new MemoryStream(), network, new OnnxExportOptions<double> { OpsetVersion = opset }));
        Assert.StartsWith("layer1 (GELU(8)) has no ONNX form for a double network", e.Message, StringComparison.Ordinal);

        var g = new OnnxGraphBuilder(3, ProtoDataType.Double);
        byte[] graph = g.Model(opset >= 20 ? g.Node("Gelu", ["x"]) : g.Node("Erf", ["x"]), 3, opset).Encode();
        Assert.ThrowsAny<Exception>(() => new OrtSession(graph).Dispose());

        var f = new OnnxGraphBuilder(3);
        new OrtSession(f.Model(opset >= 20 ? f.Node("Gelu", ["x"]) : f.Node("Erf", ["x"]), 3, opset).Encode()).Dispose();
    }

    private static void Check<T>(string architecture, bool normalize, bool appendSoftmax, int opset, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong seed = (ulong)architecture.Length * 31;
        Network<T> network = OnnxTestNetworks.Build<T>(architecture, seed);
        Standardizer<T>? normalization = normalize ? OnnxTestNetworks.Normalization<T>(network.InputSize, seed + 1) : null;
        var options = new OnnxExportOptions<T>
        {
            Normalization = normalization,
            AppendSoftmax = appendSoftmax,
            OpsetVersion = opset,
            InputName = "features",
            OutputName = "scores",
        };
        using var stream = new MemoryStream();
        OnnxExporter.Export(stream, network, options);
        OnnxRuntimeTests.DumpForChecker($"export_{architecture}_{typeof(T).Name}_{normalize}_{appendSoftmax}_{opset}", stream.ToArray());

        Matrix<T> inputs = OnnxTestNetworks.Inputs<T>(100, network.InputSize, seed + 2);
        double[,] expected = OnnxTestNetworks.Predict(network, normalization, inputs, appendSoftmax);
        double[,] x = OnnxTestNetworks.ToDoubles(inputs);
        bool asDouble = typeof(T) == typeof(double);
        using var session = new OrtSession(stream.ToArray());
        (double[] y, long[] shape) = session.Run("features", "scores", x, asDouble);
        Assert.Equal([100L, network.OutputSize], shape);
        OnnxFixtureTests.AssertClose(ReferenceEvaluator.Flatten(expected), y, tolerance);
        if (appendSoftmax)
        {
            Assert.All(Enumerable.Range(0, 100), i => Assert.Equal(1, y.Skip(i * network.OutputSize).Take(network.OutputSize).Sum(), 1e-5));
        }

        foreach (int row in (int[])[0, 57, 99])
        {
            double[,] one = new double[1, network.InputSize];
            for (int j = 0; j < network.InputSize; j++)
            {
                one[0, j] = x[row, j];
            }

            (double[] single, long[] singleShape) = session.Run("features", "scores", one, asDouble);
            Assert.Equal([1L, network.OutputSize], singleShape);
            OnnxFixtureTests.AssertClose(ReferenceEvaluator.Flatten(expected).Skip(row * network.OutputSize).Take(network.OutputSize).ToArray(), single, tolerance);
        }
    }
}
