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
/// <para>Both receive a <see cref="LayerContext{T}"/>: training or inference, the random key, the threads, whether the
/// input gradient is needed, and how the parameter gradients are produced. A layer's behaviour follows from its inputs,
/// its own parameters and state, and that context alone.</para>
/// <para><see cref="Backward"/> must follow a <see cref="Forward"/> in training mode on the same input. A layer with
/// parameters adds their gradients to <see cref="Parameter{T}.Gradient"/> (+=) by default; one that also implements
/// <see cref="ComputeParameterGradients"/> and reports <see cref="CanDeferParameterGradients"/> follows the context's
/// <see cref="LayerContext{T}.ParameterGradients"/> (<see cref="ProduceParameterGradients"/> does that for it).</para>
/// <para>To write your own layer, derive from this class and check it with
/// <see cref="Diagnostics.GradientCheck"/>.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public abstract class Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
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

    /// <summary>The layer's built-in kind (its model-file record and command-line name); null for a layer of your own, which model files do not store.</summary>
    public LayerKind? Kind => BuiltInKind;

    /// <summary>The kind of a built-in layer; only this assembly's layers have one.</summary>
    internal virtual LayerKind? BuiltInKind => null;

    /// <summary>A short description, for example <c>Dense(784 → 256)</c>.</summary>
    public abstract string Description { get; }

    /// <summary>The trainable parameters (empty for parameter-free layers).</summary>
    public virtual IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>Computes the outputs for a batch.</summary>
    /// <param name="input">The inputs, [batch x <see cref="InputSize"/>].</param>
    /// <param name="context">Training or inference, the random key and the threads.</param>
    /// <returns>The outputs, [batch x <see cref="OutputSize"/>], in the layer's own buffer.</returns>
    /// <exception cref="ArgumentException">The input does not have <see cref="InputSize"/> columns.</exception>
    public abstract ReadOnlyMatrixSpan<T> Forward(ReadOnlyMatrixSpan<T> input, LayerContext<T> context);

    /// <summary>
    /// Backpropagates: produces the parameter gradients as the context says and returns the gradient with respect to
    /// the input when <see cref="LayerContext{T}.ComputeInputGradient"/> asks for it.
    /// </summary>
    /// <param name="input">The same input the last <see cref="Forward"/> received.</param>
    /// <param name="outputGradient">dLoss/dOutput, [batch x <see cref="OutputSize"/>].</param>
    /// <param name="context">The threads, whether the input gradient is needed, and how parameter gradients are produced.</param>
    /// <returns>dLoss/dInput, [batch x <see cref="InputSize"/>], in the layer's own buffer; empty when not computed.</returns>
    /// <exception cref="ArgumentException">The shapes do not match the last forward pass.</exception>
    public abstract ReadOnlyMatrixSpan<T> Backward(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, LayerContext<T> context);

    /// <summary>
    /// Whether the layer's parameter gradients are a function of its input and output gradient alone, computed by
    /// <see cref="ComputeParameterGradients"/>, so that a trainer may overwrite them or defer them to one product over
    /// the whole minibatch. False (the default): the layer only ever receives
    /// <see cref="ParameterGradientMode.Accumulate"/>, and the trainer clears its gradients when it needs them replaced.
    /// </summary>
    public virtual bool CanDeferParameterGradients => false;

    /// <summary>
    /// The parameter gradients of a batch from its input and output gradient, written (<paramref name="overwrite"/>,
    /// without reading the old values) or added: what <see cref="Backward"/> does for its parameters, and what a
    /// trainer calls once over the whole minibatch when the shards deferred them. Override it together with
    /// <see cref="CanDeferParameterGradients"/>.
    /// </summary>
    /// <param name="input">The layer's inputs, [batch x <see cref="InputSize"/>].</param>
    /// <param name="outputGradient">dLoss/dOutput, [batch x <see cref="OutputSize"/>].</param>
    /// <param name="overwrite">Write the gradients (=) instead of adding to them (+=).</param>
    /// <param name="maxDegreeOfParallelism">The most threads for the matrix products; 0 for every processor.</param>
    /// <exception cref="NotSupportedException">The layer does not implement it (<see cref="CanDeferParameterGradients"/> is false).</exception>
    protected internal virtual void ComputeParameterGradients(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, bool overwrite, int maxDegreeOfParallelism) =>
        throw new NotSupportedException($"{Description} computes its parameter gradients only in Backward.");

    /// <summary>
    /// For <see cref="Backward"/> of a layer that can defer: the parameter gradients as <paramref name="context"/> says:
    /// added, written, or left as rows for the batch-wide product (<see cref="LayerContext{T}.DeferRows"/>).
    /// </summary>
    /// <param name="input">The forward input.</param>
    /// <param name="outputGradient">dLoss/dOutput.</param>
    /// <param name="context">The backward pass's context.</param>
    protected void ProduceParameterGradients(ReadOnlyMatrixSpan<T> input, ReadOnlyMatrixSpan<T> outputGradient, LayerContext<T> context)
    {
        if (context.ParameterGradients == ParameterGradientMode.Defer)
        {
            context.DeferRows(input, outputGradient);
        }
        else
        {
            ComputeParameterGradients(input, outputGradient, context.ParameterGradients == ParameterGradientMode.Overwrite, context.MaxDegreeOfParallelism);
        }
    }

    /// <summary>The output of the last <see cref="Forward"/> call in training mode, which <see cref="Backward"/> of the next layer reads as its input.</summary>
    protected internal abstract ReadOnlyMatrixSpan<T> LastOutput { get; }

    /// <summary>
    /// A copy for a parallel shard or an inference context: the same parameter values (shared, not copied), its own
    /// buffers and gradients.
    /// </summary>
    /// <returns>The replica.</returns>
    protected internal abstract Layer<T> CreateReplica();

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
