namespace Backprop.Simd.Layers;

/// <summary>How a layer's <see cref="Layer{T}.Backward"/> produces the gradients of its parameters (see <see cref="LayerContext{T}.ParameterGradients"/>).</summary>
public enum ParameterGradientMode
{
    /// <summary>Add this batch's gradients to <see cref="Parameter{T}.Gradient"/> (+=), so that several batches accumulate.</summary>
    Accumulate = 0,

    /// <summary>Write this batch's gradients over <see cref="Parameter{T}.Gradient"/> (=) without reading the old values (a GEMM with beta 0).</summary>
    Overwrite = 1,

    /// <summary>
    /// Leave this batch's rows of the input and output gradient in the batch-wide buffers of the context
    /// (<see cref="LayerContext{T}.DeferRows"/>): the trainer then computes the parameter gradients once for the whole
    /// minibatch with <see cref="Layer{T}.ComputeParameterGradients"/>. Only layers whose
    /// <see cref="Layer{T}.CanDeferParameterGradients"/> is true receive it.
    /// </summary>
    Defer = 2,
}
