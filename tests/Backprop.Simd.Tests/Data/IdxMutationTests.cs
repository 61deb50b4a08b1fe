using Backprop.Simd.Data;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Data;

/// <summary>
/// Thousands of random mutations of small valid IDX files, plain and gzip: every read either succeeds or throws
/// <see cref="InvalidDataException"/>, never anything else, and a plain file that reads successfully is exactly what
/// the writer would produce for the result.
/// </summary>
[Trait("Category", "Data")]
public sealed class IdxMutationTests
{
    [Theory]
    [InlineData(IdxCompression.None, 1UL)]
    [InlineData(IdxCompression.Gzip, 2UL)]
    public void Mutated_files_read_or_fail_cleanly(IdxCompression compression, ulong seed)
    {
        const int Mutations = 3000;
        var random = new SeededRandom(seed);
        byte[][] originals =
        [
            DataTestFiles.Encode([3, 4, 4], DataTestFiles.RandomBytes(48, 5), compression),
            DataTestFiles.Encode([10], DataTestFiles.RandomBytes(10, 6), compression),
            DataTestFiles.Encode([2, 3], DataTestFiles.RandomBytes(6, 7), compression),
            DataTestFiles.Encode([0, 5], [], compression),
            DataTestFiles.Encode([2, 1, 2, 1, 2], DataTestFiles.RandomBytes(8, 8), compression),
        ];

        int succeeded = 0;
        int failed = 0;
        for (int i = 0; i < Mutations; i++)
        {
            byte[] file = Mutate(originals[random.NextInt32(originals.Length)], random, compression);
            foreach (bool seekable in (bool[])[true, false])
            {
                Stream stream = seekable ? new MemoryStream(file, writable: false) : new NonSeekableStream(new MemoryStream(file, writable: false));
                IdxArray array;
                try
                {
                    array = IdxReader.Read(stream, "mutant");
                }
                catch (InvalidDataException e)
                {
                    Assert.StartsWith("IDX stream 'mutant'", e.Message, StringComparison.Ordinal);
                    failed++;
                    continue;
                }
                catch (Exception e)
                {
                    Assert.Fail($"Mutation {i} ({Convert.ToHexString(file)}) threw {e.GetType().Name}: {e.Message}");
                    throw;
                }

                succeeded++;
                if (compression == IdxCompression.None)
                {
                    Assert.Equal(file, DataTestFiles.Encode(array.Dimensions, array.Data));
                }
            }
        }

        // Both outcomes occur, so the mutations neither always break nor never touch the files.
        Assert.True(succeeded > 0 && failed > 0, $"{succeeded} succeeded, {failed} failed.");
    }

    private static byte[] Mutate(byte[] original, SeededRandom random, IdxCompression compression)
    {
        var bytes = new List<byte>(original);
        int count = 1 + random.NextInt32(3);
        for (int m = 0; m < count; m++)
        {
            // Plain files: aim at the header half the time, where mutations are most interesting.
            int range = compression == IdxCompression.None && random.NextInt32(2) == 0 ? Math.Min(bytes.Count, 24) : bytes.Count;
            int position = range == 0 ? 0 : random.NextInt32(range);
            switch (random.NextInt32(6))
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
                default:
                    bytes.Add((byte)random.NextUInt64());
                    break;
            }
        }

        return [.. bytes];
    }
}
