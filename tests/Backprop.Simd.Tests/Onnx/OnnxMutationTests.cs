using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Thousands of seeded random mutations (bit flips, byte changes, insertions, deletions, duplications, truncations)
/// of valid models: reading either succeeds, and then every tensor and attribute the reader kept can be used, or it
/// throws <see cref="InvalidDataException"/> (or <see cref="NotSupportedException"/> for what the reader refuses to
/// look at) — never another exception, a hang or a huge allocation.
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxMutationTests
{
    private const int MutationsPerModel = 2500;

    public static TheoryData<string> Bases => ["full_mlp", "torch_fixture", "random"];

    [Theory]
    [MemberData(nameof(Bases))]
    public void Mutated_models_fail_only_with_clear_errors(string baseModel)
    {
        byte[] valid = baseModel switch
        {
            "full_mlp" => OnnxTestModels.FullMlp(ProtoDataType.Float, seed: 9).Encode(),
            "torch_fixture" => File.ReadAllBytes(OnnxTestFiles.Load("mlp_torch_reshape").OnnxPath),
            _ => new RandomOnnx(seed: 2024, size: 8, readable: true).Model().Encode(),
        };
        OnnxModelReader.Read(valid);
        var random = new Random(baseModel.Length * 7919);
        int decoded = 0;
        for (int i = 0; i < MutationsPerModel; i++)
        {
            byte[] mutated = Mutate(valid, random, out string description);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                OnnxModelContents model = OnnxModelReader.Read(mutated);
                decoded++;
                Exercise(model);
            }
            catch (InvalidDataException)
            {
            }
            catch (NotSupportedException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"Mutation {i} of {baseModel} ({description}) threw {e.GetType().Name}: {e}");
            }

            // Decoding (and using) a model allocates in proportion to its size, never to a claimed length or count.
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < (1 << 20) + (200L * mutated.Length), $"Mutation {i} of {baseModel} ({description}) allocated {allocated} bytes.");
        }

        Assert.InRange(decoded, 1, MutationsPerModel - 1);
    }

    /// <summary>Uses what was read the way the chain reader does; only the documented exceptions may come out.</summary>
    private static void Exercise(OnnxModelContents model)
    {
        if (model.Graph is not OnnxGraph graph)
        {
            return;
        }

        foreach (OnnxNode node in graph.Nodes)
        {
            _ = node.Describe();
            Try(() => node.GetBool("transB", false));
            Try(() => node.GetFloat("alpha", 1f));
            Try(() => node.GetString("mode", ""));
            Try(() => node.GetInts("axes"));
            Try(() => _ = node.GetTensor("value")?.Values?.Sum());
            foreach (string input in node.Inputs)
            {
                _ = graph.GetInitializer(input)?.Values?.Sum();
                _ = graph.GetProducer(input);
                _ = graph.GetConsumers(input).Count;
            }
        }
    }

    private static void Try(Action action)
    {
        try
        {
            action();
        }
        catch (InvalidDataException)
        {
        }
        catch (NotSupportedException)
        {
        }
    }

    internal static byte[] Mutate(byte[] valid, Random random, out string description)
    {
        var bytes = new List<byte>(valid);
        var steps = new List<string>();
        for (int n = 1 + random.Next(3); n > 0; n--)
        {
            int at = random.Next(bytes.Count + 1);
            switch (random.Next(7))
            {
                case 0 when at < bytes.Count:
                    int bit = random.Next(8);
                    bytes[at] ^= (byte)(1 << bit);
                    steps.Add($"flip bit {bit} at {at}");
                    break;
                case 1 when at < bytes.Count:
                    byte value = (byte)random.Next(256);
                    bytes[at] = value;
                    steps.Add($"set {at} to 0x{value:X2}");
                    break;
                case 2:
                    var inserted = new byte[1 + random.Next(8)];
                    random.NextBytes(inserted);
                    bytes.InsertRange(at, inserted);
                    steps.Add($"insert {Convert.ToHexString(inserted)} at {at}");
                    break;
                case 3 when at < bytes.Count:
                    int count = Math.Min(1 + random.Next(16), bytes.Count - at);
                    bytes.RemoveRange(at, count);
                    steps.Add($"delete {count} at {at}");
                    break;
                case 4:
                    int length = random.Next(bytes.Count + 1);
                    bytes.RemoveRange(length, bytes.Count - length);
                    steps.Add($"truncate to {length}");
                    break;
                case 5 when at < bytes.Count:
                    int span = Math.Min(1 + random.Next(32), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(at, span));
                    steps.Add($"duplicate {span} from {at}");
                    break;
                default:
                    int run = 1 + random.Next(12);
                    bytes.InsertRange(at, Enumerable.Repeat((byte)0xFF, run));
                    steps.Add($"insert {run} x 0xFF at {at}");
                    break;
            }
        }

        description = string.Join("; ", steps);
        return [.. bytes];
    }
}
