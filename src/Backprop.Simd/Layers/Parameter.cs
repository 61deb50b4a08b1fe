using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// A trainable tensor of a layer: its values and the gradient of the loss with respect to them, both as
/// <see cref="Matrix{T}"/> of the same shape.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Parameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal Parameter(string name, Matrix<T> value, bool isWeight)
    {
        Name = name;
        Value = value;
        Gradient = new Matrix<T>(value.Rows, value.Columns);
        IsWeight = isWeight;
    }

    /// <summary>The name within its layer, for example <c>weights</c> or <c>bias</c>.</summary>
    public string Name { get; }

    /// <summary>The values. Inside a <see cref="Networks.Network{T}"/> this is a view of the network's contiguous parameter block.</summary>
    public Matrix<T> Value { get; private set; }

    /// <summary>The accumulated gradient: <c>Backward</c> adds to it, the trainer clears it.</summary>
    public Matrix<T> Gradient { get; private set; }

    /// <summary>Whether this is a weight matrix (subject to L1/L2 regularisation) rather than a bias.</summary>
    public bool IsWeight { get; }

    /// <summary>Rows of the value and gradient.</summary>
    public int Rows => Value.Rows;

    /// <summary>Columns of the value and gradient.</summary>
    public int Columns => Value.Columns;

    /// <summary>The number of elements.</summary>
    public int Length => Value.Length;

    /// <summary>A parameter of a replica: the same values, its own gradient.</summary>
    internal Parameter<T> Replicate() => new(Name, Value, IsWeight);

    /// <summary>Moves the parameter into a network's contiguous blocks: the values are copied into <paramref name="value"/>.</summary>
    internal void Bind(Matrix<T> value, Matrix<T> gradient)
    {
        Value.CopyTo(value);
        Gradient.CopyTo(gradient);
        Value = value;
        Gradient = gradient;
    }

    /// <summary>Points the gradient at <paramref name="gradient"/> (a replica's block), keeping the shared values.</summary>
    internal void BindGradient(Matrix<T> gradient)
    {
        Gradient.CopyTo(gradient);
        Gradient = gradient;
    }

    /// <summary>The name and shape.</summary>
    /// <returns>For example <c>weights [784 x 256]</c>.</returns>
    public override string ToString() => $"{Name} [{Rows} x {Columns}]";
}
