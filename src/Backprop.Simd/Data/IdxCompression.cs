namespace Backprop.Simd.Data;

/// <summary>How <see cref="IdxWriter"/> encodes a file.</summary>
public enum IdxCompression
{
    /// <summary>The plain IDX bytes.</summary>
    None = 0,

    /// <summary>The IDX bytes in a gzip stream (RFC 1952), as the MNIST and Fashion-MNIST files are distributed.</summary>
    Gzip = 1,
}
