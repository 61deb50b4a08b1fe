namespace Backprop.Simd.Data;

/// <summary>Sees every data byte of an IDX file as it is read, kept or not: <paramref name="data"/> starts at element <paramref name="index"/>.</summary>
/// <param name="data">The next bytes of the data.</param>
/// <param name="index">The element index of the first of them.</param>
internal delegate void IdxDataObserver(ReadOnlySpan<byte> data, long index);
