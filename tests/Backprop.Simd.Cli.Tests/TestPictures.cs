using SkiaSharp;

namespace Backprop.Simd.Cli.Tests;

/// <summary>Pictures as a user would photograph or draw them: dark ink on white paper, as PNG.</summary>
internal static class TestPictures
{
    /// <summary>Writes a <paramref name="size"/> x <paramref name="size"/> white PNG with a black <paramref name="ink"/> rectangle.</summary>
    public static void WriteInkOnPaper(string path, int size, SKRect ink)
    {
        using var bitmap = new SKBitmap(size, size);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var paint = new SKPaint { Color = SKColors.Black };
        canvas.DrawRect(ink, paint);
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
    }
}
