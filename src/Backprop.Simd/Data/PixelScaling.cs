namespace Backprop.Simd.Data;

/// <summary>How byte pixels (0 = background, 255 = ink) become feature values.</summary>
public enum PixelScaling
{
    /// <summary>Divide by 255: features in [0, 1].</summary>
    UnitInterval = 0,

    /// <summary>Keep the byte value: features in [0, 255].</summary>
    Raw = 1,
}
