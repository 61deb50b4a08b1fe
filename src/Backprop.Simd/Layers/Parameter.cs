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
    private bool _bound;

    /// <summary>
    /// Creates a parameter with its initial values, for a layer of your own: return it from
    /// <see cref="Layer{T}.Parameters"/>, add its gradient in <see cref="Layer{T}.Backward"/>, and give a replica
    /// (<c>CreateReplica</c>) <see cref="Replicate"/> of it. A network copies the values into its own storage.
    /// </summary>
    /// <param name="name">The name within its layer, such as <c>weights</c>.</param>
    /// <param name="value">The initial values (copied into the network's storage when a network takes the layer).</param>
    /// <param name="isWeight">Whether L1/L2 regularisation applies to it.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public Parameter(string name, Matrix<T> value, bool isWeight)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
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

    /// <summary>
    /// The parameter of a layer's replica (a training shard, an inference context): the same values, its own gradient.
    /// A layer's <c>CreateReplica</c> must give its replica these, never the original parameters.
    /// </summary>
    /// <returns>The replica's parameter.</returns>
    public Parameter<T> Replicate() => new(Name, Value, IsWeight);

    /// <summary>Moves the parameter into a network's contiguous blocks: the values are copied into <paramref name="value"/>.</summary>
    internal void Bind(Matrix<T> value, Matrix<T> gradient)
    {
        TakeOwnership();
        Value.CopyTo(value);
        Gradient.CopyTo(gradient);
        Value = value;
        Gradient = gradient;
    }

    /// <summary>Points the gradient at <paramref name="gradient"/> (a replica's block), keeping the shared values.</summary>
    internal void BindGradient(Matrix<T> gradient)
    {
        TakeOwnership();
        Gradient.CopyTo(gradient);
        Gradient = gradient;
    }

    /// <summary>
    /// A parameter belongs to one network or replica: a second one would move its gradient away from the first,
    /// which then trains on gradients that never arrive (a replica given the original's parameters did so silently).
    /// </summary>
    private void TakeOwnership()
    {
        if (_bound)
        {
            throw new InvalidOperationException($"The parameter '{this}' already belongs to a network: a layer's CreateReplica must give its replica Parameter.Replicate() of each parameter, not the parameter itself, and a parameter cannot be shared by two layers.");
        }

        _bound = true;
    }

    /// <summary>Whether a network or a replica has taken the parameter.</summary>
    internal bool IsBound => _bound;

    /// <summary>The name and shape.</summary>
    /// <returns>For example <c>weights [784 x 256]</c>.</returns>
    public override string ToString() => $"{Name} [{Rows} x {Columns}]";
}
