namespace Backprop.Simd.Cli.Images;

/// <summary>A grey image, one byte per pixel, row by row; 0 is black.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Pixels">Width x Height bytes.</param>
internal sealed record GreyImage(int Width, int Height, byte[] Pixels)
{
    /// <summary>The largest side accepted, so that a hostile header cannot ask for gigabytes.</summary>
    public const int MaxSide = 16_384;
}
