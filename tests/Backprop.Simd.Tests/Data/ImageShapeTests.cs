using Backprop.Simd.Data;

namespace Backprop.Simd.Tests.Data;

/// <summary>ImageShape: ROWSxCOLUMNS parsed strictly, the default shape of an input size, and sides that must be positive.</summary>
public sealed class ImageShapeTests
{
    [Theory]
    [InlineData("28x28", 28, 28)]
    [InlineData("1x10", 1, 10)]
    [InlineData("46341x46340", 46341, 46340)]
    public void A_shape_parses_and_prints_as_rows_x_columns(string text, int rows, int columns)
    {
        Assert.True(ImageShape.TryParse(text, out ImageShape shape));
        Assert.Equal((rows, columns, rows * columns), (shape.Rows, shape.Columns, shape.PixelCount));
        Assert.Equal(text, shape.ToString());
        Assert.Equal(shape, ImageShape.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("28")]
    [InlineData("28x")]
    [InlineData("x28")]
    [InlineData("0x28")]
    [InlineData("-1x28")]
    [InlineData("+2x2")]
    [InlineData(" 2x2")]
    [InlineData("2x2x2")]
    [InlineData("2X2")]
    [InlineData("65536x65536")]
    [InlineData("99999999999x1")]
    public void Anything_else_is_refused(string? text)
    {
        Assert.False(ImageShape.TryParse(text, out ImageShape shape));
        Assert.Equal(default, shape);
        if (text is not null)
        {
            Assert.Contains("ROWSxCOLUMNS", Assert.Throws<FormatException>(() => ImageShape.Parse(text)).Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(784, 28, 28)]
    [InlineData(64, 8, 8)]
    [InlineData(1, 1, 1)]
    [InlineData(10, 1, 10)]
    [InlineData(783, 1, 783)]
    public void The_default_shape_is_square_when_the_input_size_is_a_square_else_one_row(int features, int rows, int columns) =>
        Assert.Equal(new ImageShape(rows, columns), ImageShape.For(features));

    [Fact]
    public void Sides_must_be_positive_and_their_product_an_int()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageShape(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageShape(5, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageShape(65536, 65536));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageShape.For(0));
    }
}
