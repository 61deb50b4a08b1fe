using System.Buffers.Binary;
using Backprop.Simd.Data;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Data;

/// <summary>
/// Thousands of random mutations of small valid IDX files (bit flips, byte changes, insertions, deletions,
/// truncations, splices and lying dimension sizes), plain and gzip — for gzip both of the compressed bytes and, inside
/// a valid gzip stream, of the content: every read either succeeds or throws <see cref="InvalidDataException"/>,
/// never anything else, allocates in proportion to the file rather than to a claimed size, and a read that succeeds
/// returns exactly what the writer would encode as that content.
/// </summary>
[Trait("Category", "Data")]
public sealed class IdxMutationTests
{
    private static readonly uint[] s_lies = [0, 1, 2, 65535, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 1_000_000_000];

    [Theory]
    [InlineData(IdxCompression.None, 1UL)]
    [InlineData(IdxCompression.Gzip, 2UL)]
    public void Mutated_files_read_or_fail_cleanly(IdxCompression compression, ulong seed)
    {
        const int Mutations = 3000;
        var random = new SeededRandom(seed);
        byte[][] plain =
        [
            DataTestFiles.Encode([3, 4, 4], DataTestFiles.RandomBytes(48, 5)),
            DataTestFiles.Encode([10], DataTestFiles.RandomBytes(10, 6)),
            DataTestFiles.Encode([2, 3], DataTestFiles.RandomBytes(6, 7)),
            DataTestFiles.Encode([0, 5], []),
            DataTestFiles.Encode([2, 1, 2, 1, 2], DataTestFiles.RandomBytes(8, 8)),
        ];

        int succeeded = 0;
        int failed = 0;
        for (int i = 0; i < Mutations; i++)
        {
            byte[] original = plain[random.NextInt32(plain.Length)];

            // Gzip: half the time corrupt the compressed bytes, half the time the content inside an intact stream.
            bool inside = compression == IdxCompression.Gzip && random.NextInt32(2) == 0;
            byte[] content = compression == IdxCompression.None || inside ? Mutate(original, plain, random, aimAtHeader: true) : original;
            byte[] file = compression == IdxCompression.None ? content
                : inside ? DataTestFiles.Gzip(content)
                : Mutate(DataTestFiles.Gzip(original), plain, random, aimAtHeader: false);
            foreach (bool seekable in (bool[])[true, false])
            {
                Stream stream = seekable ? new MemoryStream(file, writable: false) : new NonSeekableStream(new MemoryStream(file, writable: false));
                long before = GC.GetAllocatedBytesForCurrentThread();
                IdxArray array;
                try
                {
                    array = IdxReader.Read(stream, "mutant");
                }
                catch (InvalidDataException e)
                {
                    Assert.StartsWith("IDX stream 'mutant'", e.Message, StringComparison.Ordinal);
                    CheckAllocation(before, i, file);
                    failed++;
                    continue;
                }
                catch (Exception e)
                {
                    Assert.Fail($"Mutation {i} ({Convert.ToHexString(file)}) threw {e.GetType().Name}: {e.Message}");
                    throw;
                }

                CheckAllocation(before, i, file);
                succeeded++;
                if (compression == IdxCompression.None || inside)
                {
                    Assert.Equal(content, DataTestFiles.Encode(array.Dimensions, array.Data));
                }
            }
        }

        // Both outcomes occur, so the mutations neither always break the files nor never touch them.
        Assert.True(succeeded > 0 && failed > 0, $"{succeeded} succeeded, {failed} failed.");
    }

    /// <summary>The reader's chunk and the decompressor's window are fixed costs; nothing may scale with a declared size.</summary>
    private static void CheckAllocation(long before, int index, byte[] file)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1_000_000, $"Mutation {index} ({Convert.ToHexString(file)}) allocated {allocated} bytes.");
    }

    private static byte[] Mutate(byte[] original, byte[][] donors, SeededRandom random, bool aimAtHeader)
    {
        var bytes = new List<byte>(original);
        int count = 1 + random.NextInt32(3);
        for (int m = 0; m < count; m++)
        {
            // Plain content: aim at the header half the time, where mutations are most interesting.
            int range = aimAtHeader && random.NextInt32(2) == 0 ? Math.Min(bytes.Count, 24) : bytes.Count;
            int position = range == 0 ? 0 : random.NextInt32(range);
            switch (random.NextInt32(8))
            {
                case 0 when bytes.Count > 0:
                    bytes[position] ^= (byte)(1 << random.NextInt32(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[position] = (byte)random.NextUInt64();
                    break;
                case 2:
                    bytes.Insert(Math.Min(position, bytes.Count), (byte)random.NextUInt64());
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(position);
                    break;
                case 4:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
                case 5 when bytes.Count > 0:
                    bytes[position] = random.NextInt32(2) == 0 ? (byte)0xFF : (byte)0x00;
                    break;
                case 6:
                    // A splice: a run of another file's bytes (a header, sizes, data) inserted here.
                    byte[] donor = donors[random.NextInt32(donors.Length)];
                    int from = random.NextInt32(donor.Length);
                    bytes.InsertRange(position, donor.AsSpan(from, Math.Min(1 + random.NextInt32(12), donor.Length - from)).ToArray());
                    break;
                case 7 when aimAtHeader && bytes.Count >= 8:
                    // A lying size: one of the big-endian dimension fields after the magic set to an extreme or a neighbour.
                    int field = 4 + (4 * random.NextInt32(Math.Min(4, (bytes.Count - 4) / 4)));
                    uint current = BinaryPrimitives.ReadUInt32BigEndian(bytes.GetRange(field, 4).ToArray());
                    uint lie = random.NextInt32(2) == 0 ? current + (uint)random.NextInt32(3) - 1 : s_lies[random.NextInt32(s_lies.Length)];
                    byte[] encoded = new byte[4];
                    BinaryPrimitives.WriteUInt32BigEndian(encoded, lie);
                    bytes.RemoveRange(field, 4);
                    bytes.InsertRange(field, encoded);
                    break;
                default:
                    bytes.Add((byte)random.NextUInt64());
                    break;
            }
        }

        return [.. bytes];
    }
}
