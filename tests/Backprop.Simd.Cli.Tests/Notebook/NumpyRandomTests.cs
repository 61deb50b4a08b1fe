using Backprop.Simd.Cli.Notebook;

namespace Backprop.Simd.Cli.Tests.Notebook;

/// <summary>
/// numpy's legacy RandomState, value for value. The expected values were printed by numpy 1.24.2 (Debian's
/// python3-numpy) with, for example,
/// <c>python3 -c "import numpy as np; print(np.random.RandomState(42).permutation(60000)[:20].tolist())"</c>.
/// </summary>
public sealed class NumpyRandomTests
{
    [Fact]
    public void Permutation_of_60000_with_seed_42_is_numpys()
    {
        int[] order = new NumpyRandom(42).Permutation(60_000);

        // np.random.RandomState(42).permutation(60000)[:20] and [-5:]
        Assert.Equal([12628, 37730, 39991, 8525, 8279, 51012, 14871, 15127, 9366, 33322, 53390, 21819, 5026, 23428, 45297, 26354, 30195, 47038, 20731, 34047], order[..20]);
        Assert.Equal([54343, 38158, 860, 15795, 56422], order[^5..]);
        Assert.Equal(Enumerable.Range(0, 60_000), order.Order());
    }

    [Theory]
    [InlineData(42u, 10_000, new[] { 6252, 4684, 1731, 4742, 4521, 6340, 576, 5202, 6363, 439 })] // RandomState(42).permutation(10000)[:10]
    [InlineData(42u, 7, new[] { 0, 1, 5, 2, 4, 3, 6 })] // RandomState(42).permutation(7)
    [InlineData(0u, 10, new[] { 2, 8, 4, 9, 1, 6, 7, 3, 0, 5 })] // RandomState(0).permutation(10)
    [InlineData(uint.MaxValue, 5, new[] { 4, 1, 0, 2, 3 })] // RandomState(2**32 - 1).permutation(5)
    public void Small_permutations_and_other_seeds_are_numpys(uint seed, int n, int[] expectedStart)
    {
        int[] order = new NumpyRandom(seed).Permutation(n);

        Assert.Equal(expectedStart, order[..expectedStart.Length]);
    }

    [Fact]
    public void Raw_draws_and_uniform_are_numpys()
    {
        // RandomState(42).randint(0, 2**32, size=3, dtype=np.uint64): one 32-bit output of MT19937 each.
        var random = new NumpyRandom(42);
        Assert.Equal([1608637542u, 3421126067u, 4083286876u], [random.NextUInt32(), random.NextUInt32(), random.NextUInt32()]);

        // RandomState(42).uniform(-1, 1, size=5), compared bit for bit.
        var uniform = new double[5];
        new NumpyRandom(42).Uniform(-1, 1, uniform);
        Assert.Equal([-0.250919762305275, 0.9014286128198323, 0.4639878836228102, 0.1973169683940732, -0.687962719115127], uniform);
    }

    [Fact]
    public void Permutation_of_nothing_or_one_is_the_identity()
    {
        Assert.Empty(new NumpyRandom(42).Permutation(0));
        Assert.Equal([0], new NumpyRandom(42).Permutation(1));
    }
}
