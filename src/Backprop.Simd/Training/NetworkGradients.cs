using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Training;

/// <summary>
/// The gradients of a network's loss on a batch, without an optimizer step: with respect to the input (dL/dX), and
/// with respect to the parameters, regularised as a <see cref="Trainer{T}"/> regularises them, together with the loss
/// and the penalty. For gradient checks of a model of your own, saliency, and Hessian-vector products by finite
/// differences of the gradient.
/// </summary>
/// <remarks>
/// Each call runs on a set of layer buffers of its own (as <c>Predict</c> does), so it neither reads nor writes the
/// network's <see cref="Network{T}.Gradients"/> or a trainer's state, and many threads may call it at once. After the
/// first call per concurrent caller it allocates nothing. Stochastic layers (dropout) are active and draw their masks
/// from <c>randomKey</c>: the same key gives the same masks, so that finite differences see one function.
/// </remarks>
public static class NetworkGradients
{
    private static readonly TrainingOptions s_defaults = new();

    /// <summary>The gradient of the loss with respect to the network's input, dL/dX.</summary>
    /// <param name="network">The network.</param>
    /// <param name="loss">The loss (fused with a final sigmoid or softmax where it applies, as in training).</param>
    /// <param name="inputs">The inputs X, [batch x input size].</param>
    /// <param name="targets">The targets, [batch x output size].</param>
    /// <param name="inputGradient">Receives dL/dX, [batch x input size].</param>
    /// <param name="reduction">The loss of the batch: the mean (default) or the sum of the per-sample losses.</param>
    /// <param name="randomKey">The key of the masks of stochastic layers.</param>
    /// <typeparam name="T">float or double.</typeparam>
    /// <returns>The loss, reduced as asked.</returns>
    /// <exception cref="ArgumentException">The shapes do not match the network or each other, or the batch has no rows.</exception>
    public static double ComputeInputGradient<T>(this Network<T> network, Loss<T> loss, ReadOnlyMatrixSpan<T> inputs, ReadOnlyMatrixSpan<T> targets, MatrixSpan<T> inputGradient, Reduction reduction = Reduction.Mean, ulong randomKey = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatch(network, loss, inputs, targets);
        if (inputGradient.Rows != inputs.Rows || inputGradient.Columns != network.InputSize)
        {
            throw new ArgumentException($"The input gradient is [{inputGradient.Rows} x {inputGradient.Columns}] but the inputs are [{inputs.Rows} x {inputs.Columns}].", nameof(inputGradient));
        }

        LayerStack<T> stack = network.RentStack();
        try
        {
            double sum = Compute(stack, loss, inputs, targets, reduction, randomKey, network.MaxDegreeOfParallelism, inputGradient: true, out ReadOnlyMatrixSpan<T> dx);
            dx.CopyTo(inputGradient);
            return Reduce(sum, inputs.Rows, reduction);
        }
        finally
        {
            network.ReturnStack(stack);
        }
    }

    /// <summary>
    /// The gradient of the regularised objective with respect to every parameter, in the order of
    /// <see cref="Network{T}.Parameters"/>: the loss's gradient plus the L1/L2 terms of
    /// <paramref name="options"/> (on the weights, and on the biases with <see cref="TrainingOptions.RegularizeBiases"/>),
    /// reduced by its <see cref="TrainingOptions.Reduction"/>, on its <see cref="TrainingOptions.MaxDegreeOfParallelism"/> threads.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="inputs">The inputs, [batch x input size].</param>
    /// <param name="targets">The targets, [batch x output size].</param>
    /// <param name="gradient">Receives the gradient, <see cref="Network{T}.ParameterCount"/> values.</param>
    /// <param name="options">The penalties, the reduction and the threads; null for the defaults (no penalty, the mean).</param>
    /// <param name="randomKey">The key of the masks of stochastic layers.</param>
    /// <typeparam name="T">float or double.</typeparam>
    /// <returns>The reduced loss and the penalty; their sum is the objective a training step would report.</returns>
    /// <exception cref="ArgumentException">The shapes do not match the network or each other, the batch has no rows, or the gradient's length is not the parameter count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid.</exception>
    public static RegularizedLoss ComputeGradient<T>(this Network<T> network, Loss<T> loss, ReadOnlyMatrixSpan<T> inputs, ReadOnlyMatrixSpan<T> targets, Span<T> gradient, TrainingOptions? options = null, ulong randomKey = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatch(network, loss, inputs, targets);
        if (gradient.Length != network.ParameterCount)
        {
            throw new ArgumentException($"The gradient has room for {gradient.Length} values but the network has {network.ParameterCount} parameters.", nameof(gradient));
        }

        TrainingOptions settings = options ?? s_defaults;
        settings.Validate();
        LayerStack<T> stack = network.RentStack();
        double sum;
        try
        {
            sum = Compute(stack, loss, inputs, targets, settings.Reduction, randomKey, settings.MaxDegreeOfParallelism, inputGradient: false, out _);
            stack.Gradients.CopyTo(gradient);
        }
        finally
        {
            network.ReturnStack(stack);
        }

        // The trainer's chunks in the trainer's order, so that the terms and the penalty are its bits.
        (int Start, int End)[] regularized = network.RegularizedRanges(settings.RegularizeBiases);
        T l1 = T.CreateTruncating(settings.L1);
        T l2 = T.CreateTruncating(settings.L2);
        double sumAbs = 0, sumSquares = 0;
        for (int start = 0; start < gradient.Length; start += GradientReduction<T>.ChunkSize)
        {
            (double abs, double squares) = Regularization.AddTerms<T>(network.Parameters, gradient, regularized, start, Math.Min(GradientReduction<T>.ChunkSize, gradient.Length - start), l1, l2);
            sumAbs += abs;
            sumSquares += squares;
        }

        return new RegularizedLoss(Reduce(sum, inputs.Rows, settings.Reduction), Regularization.Penalty(settings.L1, settings.L2, sumAbs, sumSquares));
    }

    private static double Compute<T>(LayerStack<T> stack, Loss<T> loss, ReadOnlyMatrixSpan<T> inputs, ReadOnlyMatrixSpan<T> targets, Reduction reduction, ulong randomKey, int threads, bool inputGradient, out ReadOnlyMatrixSpan<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = reduction == Reduction.Mean ? T.One / T.CreateChecked(inputs.Rows) : T.One;
        var context = LayerContext<T>.Training(randomKey, threads, ParameterGradientMode.Overwrite);
        return stack.ComputeGradients(inputs, targets, loss, scale, context, inputGradient, out dx);
    }

    private static double Reduce(double sum, int rows, Reduction reduction) => reduction == Reduction.Mean ? sum / rows : sum;

    internal static void CheckBatch<T>(Network<T> network, Loss<T> loss, ReadOnlyMatrixSpan<T> inputs, ReadOnlyMatrixSpan<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        if (inputs.Columns != network.InputSize || inputs.Rows == 0)
        {
            throw new ArgumentException($"The network takes [batch x {network.InputSize}] with at least one row but the inputs are [{inputs.Rows} x {inputs.Columns}].", nameof(inputs));
        }

        if (targets.Rows != inputs.Rows || targets.Columns != network.OutputSize)
        {
            throw new ArgumentException($"The targets are [{targets.Rows} x {targets.Columns}] but must be [{inputs.Rows} x {network.OutputSize}].", nameof(targets));
        }
    }
}
