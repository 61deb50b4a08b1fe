using System.Text;
using Backprop.Simd.Cli.Images;
using SkiaSharp;

namespace Backprop.Simd.Cli.Tests;

public sealed class ImageLoaderTests
{
    [Fact]
    public void A_binary_pgm_with_a_comment_is_read_and_rescaled()
    {
        byte[] file = [.. Encoding.ASCII.GetBytes("P5\n# a comment\n2 2\n15\n"), 0, 5, 10, 15];

        GreyImage image = PgmReader.Read("x.pgm", file);

        Assert.Equal((2, 2), (image.Width, image.Height));
        Assert.Equal([0, 85, 170, 255], image.Pixels);
    }

    [Fact]
    public void An_ascii_pgm_with_sixteen_bit_samples_is_read()
    {
        byte[] file = Encoding.ASCII.GetBytes("P2 3 1 65535\n0 32768\n65535\n");

        GreyImage image = PgmReader.Read("x.pgm", file);

        Assert.Equal([0, 128, 255], image.Pixels);
    }

    [Theory]
    [InlineData("P5\n2 2\n255\n\u0001\u0002", "needs 4 bytes of samples from offset 11 but the file has 2")]
    [InlineData("P2\n2 x\n255\n", "expected the height (a decimal number) at byte offset 5")]
    [InlineData("P2\n99999 2\n255\n", "the width at byte offset 3 is more than 16384")]
    [InlineData("P2\n1 1\n7\n9\n", "the sample 9 at byte offset 9 exceeds the maximum value 7")]
    [InlineData("P2\n4096 4096\n255\n0 1 2\n", "a 4096x4096 P2 image needs at least 33554431 bytes of samples from offset 16 but the file has 7")]
    [InlineData("P5\n16384 16384\n255\n", "is 16384x16384 pixels; images up to 16384 pixels a side and 16,777,216 pixels in all are accepted")]
    public void A_malformed_pgm_names_the_offset(string content, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => PgmReader.Read("bad.pgm", Encoding.Latin1.GetBytes(content)));
        Assert.Contains("'bad.pgm'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dark_ink_on_white_paper_is_resized_and_inverted_to_mnist_polarity()
    {
        using var directory = new TemporaryDirectory();
        string path = directory["digit.png"];
        TestPictures.WriteInkOnPaper(path, 56, new SKRect(24, 8, 32, 48));

        (byte[] pixels, bool inverted) = ImageLoader.Load(path, 28, 28);

        Assert.True(inverted);
        Assert.Equal(28 * 28, pixels.Length);
        Assert.True(pixels[(14 * 28) + 14] > 200, $"the bar's middle is {pixels[(14 * 28) + 14]}");
        Assert.True(pixels[(14 * 28) + 3] < 30, $"the background is {pixels[(14 * 28) + 3]}");
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    public void A_truncated_image_is_malformed_data(SKEncodedImageFormat format)
    {
        using var directory = new TemporaryDirectory();
        string path = directory["cut"];
        using (var bitmap = new SKBitmap(64, 64))
        {
            // Noise, so that the compressed pixels are far longer than the header the cut leaves intact.
            var random = new Random(3);
            for (int y = 0; y < 64; y++)
            {
                for (int x = 0; x < 64; x++)
                {
                    bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
                }
            }

            using SKData encoded = bitmap.Encode(format, 90);
            byte[] bytes = encoded.ToArray();
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        }

        var error = Assert.Throws<InvalidDataException>(() => ImageLoader.Load(path, 28, 28));
        Assert.Equal($"The image '{path}' is truncated (incomplete data).", error.Message);
    }

    [Fact]
    public void A_file_that_is_no_image_is_malformed_data()
    {
        using var directory = new TemporaryDirectory();
        string path = directory["notes.png"];
        File.WriteAllText(path, "hello");

        var error = Assert.Throws<InvalidDataException>(() => ImageLoader.Load(path, 28, 28));
        Assert.Contains("is not an image this tool reads", error.Message, StringComparison.Ordinal);
    }
}
