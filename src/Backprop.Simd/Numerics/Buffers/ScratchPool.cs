namespace Backprop.Simd.Numerics.Buffers;

/// <summary>
/// A small lock-free pool of reusable objects (packing buffers): renting and returning allocate nothing once the pool
/// holds as many objects as threads use at once.
/// </summary>
internal sealed class ScratchPool<TItem>
    where TItem : class, new()
{
    private readonly TItem?[] _slots;

    public ScratchPool(int capacity)
    {
        _slots = new TItem?[capacity];
    }

    public TItem Rent()
    {
        TItem?[] slots = _slots;
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
                return;
            }
        }

        (item as IDisposable)?.Dispose();
    }
}
