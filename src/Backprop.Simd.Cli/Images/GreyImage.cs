namespace Backprop.Simd.Cli.Images;

/// <summary>A grey image, one byte per pixel, row by row; 0 is black.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Pixels">Width x Height bytes.</param>
internal sealed record GreyImage(int Width, int Height, byte[] Pixels)
{
    /// <summary>The largest side accepted.</summary>
    public const int MaxSide = 16_384;

    /// <summary>The most pixels accepted (4096 x 4096, more than a phone photo), so that a small file with a lying header cannot ask for gigabytes.</summary>
    public const long MaxPixels = 1L << 24;

    /// <summary>The largest image file read into memory.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Throws unless a width x height image is within the limits.</summary>
    /// <exception cref="InvalidDataException">It is not.</exception>
    public static void CheckSize(string path, long width, long height)
    {
        if (width > MaxSide || height > MaxSide || width * height > MaxPixels)
        {
            throw new InvalidDataException($"'{path}' is {width}x{height} pixels; images up to {MaxSide} pixels a side and {MaxPixels:N0} pixels in all are accepted.");
        }
    }
}
