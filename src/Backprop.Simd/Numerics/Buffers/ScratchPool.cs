namespace Backprop.Simd.Numerics.Buffers;

/// <summary>
/// A small lock-free pool of reusable objects (packing buffers): renting and returning allocate nothing once the pool
/// holds as many objects as threads use at once, and a thread gets back the object it returned last while that object
/// is still in the pool, so that threads running side by side stop trading buffers between their cores.
/// </summary>
internal sealed class ScratchPool<TItem>
    where TItem : class, new()
{
    [ThreadStatic]
    private static int t_lastSlot;

    [ThreadStatic]
    private static TItem? t_lastItem;

    private readonly TItem?[] _slots;

    public ScratchPool(int capacity)
    {
        _slots = new TItem?[capacity];
    }

    public TItem Rent()
    {
        TItem?[] slots = _slots;

        // This thread's own object first, where it is still in the slot it went back to: its buffers are in this
        // core's caches, where another thread's would have to be fetched from its core line by line.
        int own = t_lastSlot;
        TItem? last = t_lastItem;
        if (last is not null && own < slots.Length && Interlocked.CompareExchange(ref slots[own], null, last) == last)
        {
            return last;
        }

        for (int i = 0; i < slots.Length; i++)
        {
            TItem? item = Volatile.Read(ref slots[i]);
            if (item is not null && Interlocked.CompareExchange(ref slots[i], null, item) == item)
            {
                return item;
            }
        }

        return new TItem();
    }

    public void Return(TItem item)
    {
        TItem?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is null && Interlocked.CompareExchange(ref slots[i], item, null) is null)
            {
                t_lastSlot = i;
                t_lastItem = item;
                return;
            }
        }

        (item as IDisposable)?.Dispose();
    }
}
