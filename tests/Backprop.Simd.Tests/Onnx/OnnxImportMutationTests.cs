using Backprop.Simd.Networks;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Thousands of seeded random mutations of valid models, of their bytes and of their graphs (see
/// <see cref="OnnxModelMutator"/>), imported as float and as double: the import either succeeds,
/// and the network then predicts, or throws <see cref="InvalidDataException"/> or <see cref="NotSupportedException"/>,
/// never another exception, a hang or an allocation out of proportion to the file.
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxImportMutationTests
{
    private const int MutationsPerModel = 2000;

    private delegate byte[] Mutation(byte[] valid, Random random, out string description);

    public static TheoryData<string> Bases => ["exported", "exported_double", "torch_deep", "helper", "torch_view", "torch_batchnorm"];

    [Theory]
    [MemberData(nameof(Bases))]
    public void Byte_mutations_import_or_fail_only_with_clear_errors(string baseModel) =>
        Check(baseModel, OnnxMutationTests.Mutate);

    [Theory]
    [MemberData(nameof(Bases))]
    public void Graph_edits_import_or_fail_only_with_clear_errors(string baseModel) =>
        Check(baseModel, OnnxModelMutator.Mutate);

    private static void Check(string baseModel, Mutation mutate)
    {
        byte[] valid = baseModel switch
        {
            "exported" => Exported<float>(),
            "exported_double" => Exported<double>(),
            "torch_deep" => File.ReadAllBytes(OnnxTestFiles.Load("mlp_torch_deep").OnnxPath),
            "torch_view" => File.ReadAllBytes(OnnxTestFiles.Load("mlp_torch_view").OnnxPath),
            "torch_batchnorm" => File.ReadAllBytes(OnnxTestFiles.Load("mlp_torch_batchnorm").OnnxPath),
            _ => File.ReadAllBytes(OnnxTestFiles.Load("mlp_helper").OnnxPath),
        };
        OnnxImporter.Import<float>(valid);
        var random = new Random(baseModel.Length * 104729);
        int imported = 0;
        int invalid = 0;
        int unsupported = 0;
        for (int i = 0; i < MutationsPerModel; i++)
        {
            byte[] mutated = mutate(valid, random, out string description);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                Use(OnnxImporter.Import<float>(mutated).Network);
                Use(OnnxImporter.Import<double>(mutated).Network);
                imported++;
            }
            catch (InvalidDataException)
            {
                invalid++;
            }
            catch (NotSupportedException)
            {
                unsupported++;
            }
            catch (Exception e)
            {
                Assert.Fail($"Mutation {i} of {baseModel} ({description}) threw {e.GetType().Name}: {e}");
            }

            // Importing allocates in proportion to the file (decoding, double copies, the network's parameters and
            // gradients in both element types), never to a size or count the file merely claims.
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < (1 << 20) + (200L * mutated.Length), $"Mutation {i} of {baseModel} ({description}) allocated {allocated} bytes.");
        }

        Assert.True(imported > 0 && invalid > 0 && unsupported > 0, $"{baseModel}: {imported} imported, {invalid} invalid, {unsupported} not supported.");
    }

    /// <summary>A leaky network exported with its standardisation and a softmax: LeakyRelu in float, Mul and Max in double.</summary>
    private static byte[] Exported<T>()
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Network<T> network = OnnxTestNetworks.Build<T>("leaky_deep", seed: 3);
        using var stream = new MemoryStream();
        OnnxExporter.Export(stream, network, new OnnxExportOptions<T> { Normalization = OnnxTestNetworks.Normalization<T>(network.InputSize, seed: 4), AppendSoftmax = true });
        return stream.ToArray();
    }

    /// <summary>An imported network predicts a row without throwing.</summary>
    private static void Use<T>(Network<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var output = new T[network.OutputSize];
        network.Predict(new T[network.InputSize], output);
    }
}
