namespace Backprop.Simd.Networks;

/// <summary>Where one parameter tensor lies in a network's contiguous parameter and gradient blocks.</summary>
/// <param name="Layer">The index of the layer.</param>
/// <param name="Name">The parameter's name within the layer.</param>
/// <param name="Offset">The index of its first element in the blocks.</param>
/// <param name="Rows">Its rows.</param>
/// <param name="Columns">Its columns.</param>
/// <param name="IsWeight">Whether it is a weight matrix (regularised) rather than a bias.</param>
public readonly record struct ParameterRange(int Layer, string Name, int Offset, int Rows, int Columns, bool IsWeight)
{
    /// <summary>The number of elements.</summary>
    public int Length => Rows * Columns;
}
