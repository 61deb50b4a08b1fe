namespace Backprop.Simd.Data;

/// <summary>
/// What an IDX read may keep in memory: the first <see cref="MaxCount"/> items, each at most <see cref="MaxItemLength"/>
/// bytes. The rest of the file is still read and checked, a chunk at a time, but not kept, so memory follows what is
/// kept whatever the file declares or a gzip stream inflates to.
/// </summary>
public sealed class IdxReadLimits
{
    private readonly int _maxCount = int.MaxValue;
    private readonly long _maxItemLength = IdxFormat.MaxDataLength;

    /// <summary>No limits: every item is kept.</summary>
    public static IdxReadLimits None { get; } = new();

    /// <summary>The most items kept, the first ones of the file; default all (<see cref="int.MaxValue"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int MaxCount
    {
        get => _maxCount;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxCount = value;
        }
    }

    /// <summary>
    /// The largest item accepted, in bytes (for an image file, rows × columns): a file that declares larger items is
    /// refused before any of its data is read. Default <see cref="IdxReader.MaxDataLength"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public long MaxItemLength
    {
        get => _maxItemLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxItemLength = value;
        }
    }
}
