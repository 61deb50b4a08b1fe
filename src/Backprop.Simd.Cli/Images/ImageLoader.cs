using SkiaSharp;

namespace Backprop.Simd.Cli.Images;

/// <summary>
/// Turns an image file into the pixels of an MNIST-style input: grey, resized to the model's image shape, ink bright on a
/// dark background. PGM (P2, P5) is read by <see cref="PgmReader"/>; PNG and the other formats SkiaSharp decodes
/// (JPEG, BMP, WebP, GIF) by SkiaSharp. A picture with a light background (the mean of its border is above
/// mid-grey: dark ink on paper) is inverted.
/// </summary>
internal static class ImageLoader
{
    /// <summary>Loads, converts and resizes an image.</summary>
    /// <param name="path">The file.</param>
    /// <param name="rows">The height of the result, such as 28.</param>
    /// <param name="columns">The width of the result.</param>
    /// <returns>rows x columns bytes, 0 background, 255 ink, and whether the picture was inverted.</returns>
    /// <exception cref="FileNotFoundException">No such file, or a directory.</exception>
    /// <exception cref="InvalidDataException">The file is not an image SkiaSharp or the PGM reader understands, is truncated, or is too large.</exception>
    public static (byte[] Pixels, bool Inverted) Load(string path, int rows, int columns)
    {
        InputFile.ThrowIfMissing(path, "The image");
        byte[] bytes = InputFile.ReadAllBytes(path, GreyImage.MaxFileBytes, "image files");
        GreyImage image = PgmReader.IsPgm(bytes) ? PgmReader.Read(path, bytes) : Decode(path, bytes);
        byte[] pixels = Resize(image, rows, columns);
        bool inverted = BorderMean(image) > 127;
        if (inverted)
        {
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (byte)(255 - pixels[i]);
            }
        }

        return (pixels, inverted);
    }

    private static GreyImage Decode(string path, byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        using SKCodec? codec = SKCodec.Create(data);
        if (codec is null)
        {
            throw new InvalidDataException($"'{path}' is not an image this tool reads (PNG, JPEG, BMP, WebP, GIF or PGM P2/P5).");
        }

        GreyImage.CheckSize(path, codec.Info.Width, codec.Info.Height);

        // Decode as premultiplied-free RGBA and lay transparent pixels on white paper before taking the luminance.
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());

        // SkiaSharp fills the rows a cut-off file lacks and reports IncompleteInput; a prediction on that filler
        // would look like a real one, so a truncated file is refused.
        if (result == SKCodecResult.IncompleteInput)
        {
            throw new InvalidDataException($"The image '{path}' is truncated (incomplete data).");
        }

        if (result != SKCodecResult.Success)
        {
            throw new InvalidDataException($"'{path}' could not be decoded: {result}.");
        }

        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        var grey = new byte[info.Width * info.Height];
        for (int i = 0; i < grey.Length; i++)
        {
            double alpha = rgba[(4 * i) + 3] / 255.0;
            double luminance = (0.299 * rgba[4 * i]) + (0.587 * rgba[(4 * i) + 1]) + (0.114 * rgba[(4 * i) + 2]);
            grey[i] = (byte)Math.Round((alpha * luminance) + ((1 - alpha) * 255));
        }

        return new GreyImage(info.Width, info.Height, grey);
    }

    private static byte[] Resize(GreyImage image, int rows, int columns)
    {
        var source = new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(source);
        image.Pixels.CopyTo(bitmap.GetPixelSpan());
        using SKBitmap resized = bitmap.Resize(new SKImageInfo(columns, rows, SKColorType.Gray8, SKAlphaType.Opaque), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? throw new InvalidDataException($"SkiaSharp could not resize a {image.Width}x{image.Height} image to {columns}x{rows}.");
        return resized.GetPixelSpan().ToArray();
    }

    private static double BorderMean(GreyImage image)
    {
        long sum = 0;
        int count = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                if (y == 0 || x == 0 || y == image.Height - 1 || x == image.Width - 1)
                {
                    sum += image.Pixels[(y * image.Width) + x];
                    count++;
                }
            }
        }

        return (double)sum / count;
    }
}
