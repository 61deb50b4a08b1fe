using Backprop.Simd.Numerics.Buffers;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// The scratch pool hands each thread back the object it returned last, so that a thread's packing buffers stay in its
/// own core's caches; objects are still never handed to two renters at once, and a full pool still lends to everyone.
/// </summary>
public sealed class ScratchPoolTests
{
    [Fact]
    public void A_thread_gets_back_its_own_object_when_another_thread_returned_one_to_an_earlier_slot()
    {
        var pool = new ScratchPool<Item>(4);
        Item mine = pool.Rent();
        Item theirs = RunOnOtherThread(pool.Rent);

        // The other thread's object goes back first and takes slot 0; ours lands in slot 1.
        RunOnOtherThread(() => pool.Return(theirs));
        pool.Return(mine);
        Assert.Same(mine, pool.Rent());
        Assert.Same(theirs, RunOnOtherThread(pool.Rent));
    }

    [Fact]
    public void A_thread_whose_object_another_thread_took_gets_a_different_one_and_no_object_is_lent_twice()
    {
        var pool = new ScratchPool<Item>(4);
        Item first = pool.Rent();
        pool.Return(first);
        Item taken = RunOnOtherThread(pool.Rent);
        Assert.Same(first, taken);

        Item second = pool.Rent();
        Assert.NotSame(first, second);
        RunOnOtherThread(() => pool.Return(taken));
        pool.Return(second);
        Assert.Same(second, pool.Rent());
    }

    [Fact]
    public async Task Concurrent_renters_never_hold_the_same_object()
    {
        var pool = new ScratchPool<Item>(2);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                Item item = pool.Rent();
                Assert.Equal(1, Interlocked.Increment(ref item.Holders));
                Assert.Equal(0, Interlocked.Decrement(ref item.Holders));
                pool.Return(item);
            }
        })));
    }

    private static T RunOnOtherThread<T>(Func<T> action)
    {
        T result = default!;
        var thread = new Thread(() => result = action());
        thread.Start();
        thread.Join();
        return result;
    }

    private static void RunOnOtherThread(Action action) => RunOnOtherThread(() =>
    {
        action();
        return 0;
    });

    private sealed class Item
    {
        public int Holders;
    }
}
