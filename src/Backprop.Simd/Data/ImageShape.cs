using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Backprop.Simd.Data;

/// <summary>
/// The picture an input row is: <see cref="Rows"/> × <see cref="Columns"/> pixels, row by row. Written and parsed as
/// <c>ROWSxCOLUMNS</c>, for example <c>28x28</c>.
/// </summary>
public readonly record struct ImageShape
{
    /// <summary>Creates a shape.</summary>
    /// <param name="rows">The height in pixels; positive.</param>
    /// <param name="columns">The width in pixels; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive, or the pixel count exceeds <see cref="int.MaxValue"/>.</exception>
    public ImageShape(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)rows * columns > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"{rows}x{columns} has more pixels than an input row can hold.");
        }

        Rows = rows;
        Columns = columns;
    }

    /// <summary>The height in pixels.</summary>
    public int Rows { get; }

    /// <summary>The width in pixels.</summary>
    public int Columns { get; }

    /// <summary>Rows × columns: the features of one input row.</summary>
    public int PixelCount => Rows * Columns;

    /// <summary>The shape assumed for <paramref name="featureCount"/> features when none is recorded: a square when the count is one (784: 28x28), else one row.</summary>
    /// <param name="featureCount">The input size; positive.</param>
    /// <returns>The shape.</returns>
    public static ImageShape For(int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        int side = (int)Math.Round(Math.Sqrt(featureCount));
        return side * side == featureCount ? new ImageShape(side, side) : new ImageShape(1, featureCount);
    }

    /// <summary>Parses <c>ROWSxCOLUMNS</c> of positive whole numbers, such as <c>28x28</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="shape">The shape, or default.</param>
    /// <returns>Whether the text is such a shape.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out ImageShape shape)
    {
        shape = default;
        string[] parts = text?.Split('x') ?? [];
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int rows)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int columns)
            || rows <= 0
            || columns <= 0
            || (long)rows * columns > int.MaxValue)
        {
            return false;
        }

        shape = new ImageShape(rows, columns);
        return true;
    }

    /// <summary>Parses <c>ROWSxCOLUMNS</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The shape.</returns>
    /// <exception cref="FormatException">The text is not ROWSxCOLUMNS of positive whole numbers.</exception>
    public static ImageShape Parse(string text) => TryParse(text, out ImageShape shape)
        ? shape
        : throw new FormatException($"'{text}' is not ROWSxCOLUMNS of positive whole numbers, such as 28x28.");

    /// <summary><c>ROWSxCOLUMNS</c>, for example <c>28x28</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Rows}x{Columns}");
}
