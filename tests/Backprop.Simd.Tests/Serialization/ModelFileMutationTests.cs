using System.Buffers.Binary;
using System.Numerics;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Data;

namespace Backprop.Simd.Tests.Serialization;

/// <summary>
/// Thousands of seeded random mutations of model files (bit flips, byte changes, insertions, deletions, splices,
/// truncations and lying integers), half of them with the length field and checksum repaired so that the structural
/// checks, not the checksum, must catch them. Every load either fails with <see cref="InvalidDataException"/> or
/// succeeds on a file that re-saves to the very same bytes; none allocates beyond the file's own size.
/// </summary>
[Trait("Category", "Serialization")]
public sealed class ModelFileMutationTests
{
    private const int Mutations = 5000;

    private static readonly long[] s_lies = [0, 1, -1, 2, 3, 4, int.MaxValue, int.MinValue, Array.MaxLength, 1 << 30, 1L << 40, long.MaxValue, long.MinValue];

    [Fact]
    public void Mutated_models_load_identically_or_fail_cleanly()
    {
        byte[][] singles =
        [
            ModelTestData.Encode(ModelTestData.FullModel<float>("relu-dropout-leaky-sigmoid")),
            ModelTestData.Encode(new SavedModel<float>(ModelTestData.Network<float>("single-dense", 3))),
        ];
        byte[][] doubles = [ModelTestData.Encode(ModelTestData.FullModel<double>("tanh-softmax"))];
        byte[][] all = [.. singles, .. doubles];

        var random = new SeededRandom(2026);
        int loaded = 0, rejected = 0, repaired = 0;
        for (int i = 0; i < Mutations; i++)
        {
            int pick = random.NextInt32(all.Length);
            byte[] file = Mutate(all[pick], all, random, out string description);
            if (random.NextInt32(2) == 0)
            {
                RawModelFile.Repair(file);
                description += ", repaired";
                repaired++;
            }

            bool ok = pick < singles.Length ? TryLoad<float>(file, random, i, description) : TryLoad<double>(file, random, i, description);
            if (ok)
            {
                loaded++;
            }
            else
            {
                rejected++;
            }
        }

        // Both outcomes occur: the mutations neither always break the files nor never touch them.
        Assert.True(loaded > 0 && rejected > Mutations / 2, $"{loaded} loaded, {rejected} rejected, {repaired} repaired.");
    }

    private static bool TryLoad<T>(byte[] file, SeededRandom random, int index, string description)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool seekable = random.NextInt32(4) != 0;
        Stream stream = seekable ? new MemoryStream(file, writable: false) : new NonSeekableStream(new MemoryStream(file, writable: false));
        long before = GC.GetAllocatedBytesForCurrentThread();
        SavedModel<T> model;
        try
        {
            model = ModelFile.Load<T>(stream);
        }
        catch (InvalidDataException e)
        {
            Assert.StartsWith("model stream at offset ", e.Message, StringComparison.Ordinal);
            CheckAllocation(before, file, index, description);
            AssertInfoRejectsOrAccepts(file, index, description, mustAccept: false);
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"Mutation {index} ({description}) threw {e.GetType().Name}: {e}");
            throw;
        }

        CheckAllocation(before, file, index, description);
        Assert.True(file.AsSpan().SequenceEqual(ModelTestData.Encode(model)), $"Mutation {index} ({description}) loaded but does not re-save to the same bytes.");
        AssertInfoRejectsOrAccepts(file, index, description, mustAccept: true);
        return true;
    }

    /// <summary>A model loads in proportion to its size (network, buffers, a copy of an unseekable stream), never to a claimed count.</summary>
    private static void CheckAllocation(long before, byte[] file, int index, string description)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 400_000 + (64L * file.Length), $"Mutation {index} ({description}) allocated {allocated} bytes for a {file.Length}-byte file.");
    }

    private static void AssertInfoRejectsOrAccepts(byte[] file, int index, string description, bool mustAccept)
    {
        try
        {
            ModelFile.ReadInfo(new MemoryStream(file, writable: false), "model stream");
        }
        catch (InvalidDataException) when (!mustAccept)
        {
        }
        catch (Exception e)
        {
            Assert.Fail($"Mutation {index} ({description}): ReadInfo threw {e.GetType().Name}: {e.Message}");
        }
    }

    private static byte[] Mutate(byte[] original, byte[][] all, SeededRandom random, out string description)
    {
        var bytes = new List<byte>(original);
        var steps = new List<string>();
        int count = 1 + random.NextInt32(3);
        for (int m = 0; m < count; m++)
        {
            int position = bytes.Count == 0 ? 0 : random.NextInt32(bytes.Count);
            switch (random.NextInt32(8))
            {
                case 0 when bytes.Count > 0:
                    bytes[position] ^= (byte)(1 << random.NextInt32(8));
                    steps.Add($"bit flip at {position}");
                    break;
                case 1 when bytes.Count > 0:
                    bytes[position] = (byte)random.NextUInt64();
                    steps.Add($"byte set at {position}");
                    break;
                case 2:
                    int inserted = 1 + random.NextInt32(8);
                    bytes.InsertRange(position, DataTestFiles.RandomBytes(inserted, random.NextUInt64()));
                    steps.Add($"{inserted} bytes inserted at {position}");
                    break;
                case 3 when bytes.Count > 0:
                    int removed = Math.Min(1 + random.NextInt32(8), bytes.Count - position);
                    bytes.RemoveRange(position, removed);
                    steps.Add($"{removed} bytes deleted at {position}");
                    break;
                case 4:
                    bytes.RemoveRange(position, bytes.Count - position);
                    steps.Add($"truncated to {position}");
                    break;
                case 5:
                    // A splice: a run of bytes from any of the files (fields of the right shapes, in the wrong place).
                    byte[] donor = all[random.NextInt32(all.Length)];
                    int from = random.NextInt32(donor.Length);
                    int length = Math.Min(1 + random.NextInt32(48), donor.Length - from);
                    bytes.InsertRange(position, donor.AsSpan(from, length).ToArray());
                    if (random.NextInt32(2) == 0)
                    {
                        // Half the splices overwrite instead of inserting.
                        bytes.RemoveRange(position + length, Math.Min(length, bytes.Count - position - length));
                    }

                    steps.Add($"{length} bytes from offset {from} spliced in at {position}");
                    break;
                default:
                    // A lying integer: a count or size replaced by an extreme or a neighbouring value.
                    int width = random.NextInt32(2) == 0 ? 4 : 8;
                    if (bytes.Count < width)
                    {
                        break;
                    }

                    position = Math.Min(position, bytes.Count - width);
                    byte[] field = new byte[width];
                    long current = width == 4 ? BinaryPrimitives.ReadInt32LittleEndian(bytes.GetRange(position, 4).ToArray()) : BinaryPrimitives.ReadInt64LittleEndian(bytes.GetRange(position, 8).ToArray());
                    long lie = random.NextInt32(3) == 0 ? current + random.NextInt32(5) - 2 : s_lies[random.NextInt32(s_lies.Length)];
                    if (width == 4)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(field, (int)lie);
                    }
                    else
                    {
                        BinaryPrimitives.WriteInt64LittleEndian(field, lie);
                    }

                    for (int k = 0; k < width; k++)
                    {
                        bytes[position + k] = field[k];
                    }

                    steps.Add($"{width}-byte integer at {position} set to {lie}");
                    break;
            }
        }

        description = string.Join(", ", steps);
        return [.. bytes];
    }
}
