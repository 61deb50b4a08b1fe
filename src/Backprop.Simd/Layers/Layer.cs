using System.Numerics;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// A layer of a feed-forward network: maps a batch of inputs [batch x <see cref="InputSize"/>] to outputs
/// [batch x <see cref="OutputSize"/>] and propagates gradients back.
/// </summary>
/// <remarks>
/// <para>A layer owns its output and input-gradient buffers, sized for the largest batch seen and reused, so
/// <see cref="Forward"/> and <see cref="Backward"/> allocate nothing in steady state. The spans they return stay
/// valid until the layer's next call.</para>
/// <para><see cref="Backward"/> must follow a <see cref="Forward"/> in training mode on the same input; it adds
/// the parameter gradients to <see cref="Parameter{T}.Gradient"/> (+=), so gradients of several batches
/// accumulate until the trainer clears them.</para>
/// <para>To write your own layer, derive from this class and check it with
/// <see cref="Diagnostics.GradientCheck"/>.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public abstract class Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private int _parallelism = 1;

    /// <summary>Initialises the sizes.</summary>
    /// <param name="inputSize">Features per input row; positive.</param>
    /// <param name="outputSize">Features per output row; positive.</param>
    protected Layer(int inputSize, int outputSize)
    {
        ElementType<T>.ThrowIfNotSupported();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    /// <summary>Features per input row.</summary>
    public int InputSize { get; }

    /// <summary>Set once a network has taken the layer: a layer's buffers and parameters belong to one network.</summary>
    internal bool Owned { get; set; }

    /// <summary>Features per output row.</summary>
    public int OutputSize { get; }

    /// <summary>
    /// Whether <see cref="Backward"/> may write the parameter gradients instead of adding to them. Only layers that
    /// support it (<see cref="Dense{T}"/>) report it in <see cref="SupportsReplacingGradients"/>; a training shard
    /// sets it so that it need not clear its gradients before every step.
    /// </summary>
    internal bool ReplaceGradients { get; set; }

    /// <summary>Whether the layer honours <see cref="ReplaceGradients"/>.</summary>
    internal virtual bool SupportsReplacingGradients => false;

    /// <summary>A short description, for example <c>Dense(784 → 256)</c>.</summary>
    public abstract string Description { get; }

    /// <summary>The trainable parameters (empty for parameter-free layers).</summary>
    public virtual IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>The most threads the layer's matrix products may use (1 inside a parallel training shard).</summary>
    public int MaxDegreeOfParallelism
    {
        get => _parallelism;
        set => _parallelism = value;
    }

    /// <summary>Computes the outputs for a batch.</summary>
    /// <param name="input">The inputs, [batch x <see cref="InputSize"/>].</param>
    /// <param name="training">Training mode (dropout active, state kept for <see cref="Backward"/>) or inference.</param>
    /// <returns>The outputs, [batch x <see cref="OutputSize"/>], in the layer's own buffer.</returns>
    /// <exception cref="ArgumentException">The input does not have <see cref="InputSize"/> columns.</exception>
    public abstract ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, bool training);

    /// <summary>Backpropagates: adds the parameter gradients and returns the gradient with respect to the input.</summary>
    /// <param name="input">The same input the last <see cref="Forward"/> received.</param>
    /// <param name="outputGradient">dLoss/dOutput, [batch x <see cref="OutputSize"/>].</param>
    /// <param name="computeInputGradient"><see langword="false"/> for the first layer of a network, whose input gradient nobody needs.</param>
    /// <returns>dLoss/dInput, [batch x <see cref="InputSize"/>], in the layer's own buffer; empty when not computed.</returns>
    /// <exception cref="ArgumentException">The shapes do not match the last forward pass.</exception>
    public abstract ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, bool computeInputGradient = true);

    /// <summary>The output of the last <see cref="Forward"/> call in training mode, which <see cref="Backward"/> of the next layer reads as its input.</summary>
    protected internal abstract ReadOnlyMatrixSpan<T> LastOutput { get; }

    /// <summary>
    /// A copy for a parallel shard or an inference context: the same parameter values (shared, not copied), its own
    /// buffers and gradients.
    /// </summary>
    /// <returns>The replica.</returns>
    protected internal abstract Layer<T> CreateReplica();

    /// <summary>Sets the key from which a stochastic layer (dropout) draws its randomness for the next forward pass.</summary>
    /// <param name="key">A value that depends only on the seed, the step, the shard and the layer.</param>
    protected internal virtual void SetRandomKey(ulong key)
    {
    }

    /// <summary>Throws unless <paramref name="input"/> has <see cref="InputSize"/> columns.</summary>
    /// <param name="input">The input to check.</param>
    protected void CheckInput(ReadOnlyMatrixSpan<T> input)
    {
        if (input.Columns != InputSize)
        {
            throw new ArgumentException($"{Description} expects {InputSize} input columns but the input is [{input.Rows} x {input.Columns}].", nameof(input));
        }
    }

    /// <summary>Throws unless <paramref name="outputGradient"/> matches the batch of <paramref name="input"/> and <see cref="OutputSize"/>.</summary>
    /// <param name="input">The forward input.</param>
    /// <param name="outputGradient">The gradient to check.</param>
    protected void CheckGradient(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient)
    {
        CheckInput(input);
        if (outputGradient.Rows != input.Rows || outputGradient.Columns != OutputSize)
        {
            throw new ArgumentException(
                $"{Description}: the output gradient is [{outputGradient.Rows} x {outputGradient.Columns}] but the output is [{input.Rows} x {OutputSize}].",
                nameof(outputGradient));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Description;
}
