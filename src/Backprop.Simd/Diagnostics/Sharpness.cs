using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Training;

namespace Backprop.Simd.Diagnostics;

/// <summary>
/// The sharpness of the training objective at a network's weights: the largest eigenvalue of its Hessian, by power
/// iteration on Hessian-vector products, each the central difference of the backpropagated gradient
/// Hv ≈ (g(w + εv) − g(w − εv)) / 2ε. Gradient descent with learning rate η turns unstable along the top eigenvector
/// once η · λ / 2 passes 1, which is what makes the estimate worth plotting over a training run.
/// </summary>
/// <remarks>
/// Power iteration finds the eigenvalue of largest magnitude, which may be negative where the objective is far from
/// convex; at and near a minimum the Hessian is nearly positive semidefinite and it is the largest. The gradients are
/// <see cref="NetworkGradients.ComputeGradient"/>'s: of the regularised objective (L1/L2 and reduction of the
/// <see cref="TrainingOptions"/> given), with stochastic layers keyed once for all of them, so each product
/// differentiates one function. L1's subgradient is constant away from w = 0, so it adds nothing unless a weight lies
/// within ε of 0. The estimate is meant for double networks: a float network's gradients are coarse at any step, and
/// its differences carry a few significant digits only (the default step grows to about 5·10⁻³ · max(1, ‖w‖)).
/// <para>The weights are perturbed in place and restored bit for bit before the call returns, also when it throws or
/// is cancelled, so it must not run while a trainer trains the network on another thread; from a trainer's progress
/// callback it is fine (the trainer waits). The gradients run on layer buffers of their own (as
/// <see cref="NetworkGradients"/> does), and the iteration allocates nothing beyond five vectors of the parameter
/// count per call, one of them returned as the eigenvector. The result is bitwise the same for any thread count.</para>
/// </remarks>
public static class Sharpness
{
    private static readonly SharpnessOptions s_defaults = new();

    /// <summary>Estimates the Hessian's eigenvalue of largest magnitude at the network's current weights.</summary>
    /// <param name="network">The network; its weights are perturbed and restored bit for bit.</param>
    /// <param name="loss">The loss (fused with a final sigmoid or softmax where it applies, as in training).</param>
    /// <param name="inputs">The inputs, [batch x input size]: the whole training set for the full-batch objective, or one minibatch for that minibatch's.</param>
    /// <param name="targets">The targets, [batch x output size].</param>
    /// <param name="options">The penalties, reduction and threads of the objective, as in training; null for no penalty and the mean.</param>
    /// <param name="sharpnessOptions">The iteration's settings; null for the defaults.</param>
    /// <param name="cancellationToken">Checked before each Hessian-vector product.</param>
    /// <typeparam name="T">float or double (see the remarks on float).</typeparam>
    /// <returns>The eigenvalue, the iterations it took, whether it converged, and the eigenvector.</returns>
    /// <exception cref="ArgumentException">
    /// The shapes do not match the network or each other, the batch has no rows, a weight is not finite, the start
    /// vector's length is not the parameter count, or a gradient within ε of the weights is not finite (a NaN or an
    /// infinity in the data, or an overflow: try a smaller <see cref="SharpnessOptions.Step"/>).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (the weights are restored).</exception>
    public static SharpnessEstimate Estimate<T>(
        Network<T> network,
        Loss<T> loss,
        ReadOnlyMatrixSpan<T> inputs,
        ReadOnlyMatrixSpan<T> targets,
        TrainingOptions? options = null,
        SharpnessOptions? sharpnessOptions = null,
        CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NetworkGradients.CheckBatch(network, loss, inputs, targets);
        options?.Validate();
        SharpnessOptions settings = sharpnessOptions ?? s_defaults;
        settings.Validate();
        int n = network.ParameterCount;
        if (settings.StartVector is { } start && start.Length != n)
        {
            throw new ArgumentException($"The start vector has {start.Length} values but the network has {n} parameters.", nameof(sharpnessOptions));
        }

        Span<T> weights = network.Parameters;
        int nonFinite = Kernels.IndexOfNonFinite<T>(weights);
        if (nonFinite >= 0)
        {
            throw new ArgumentException($"Parameter {nonFinite} of the network is {weights[nonFinite]}: the Hessian exists only at finite weights.", nameof(network));
        }

        T[] origin = weights.ToArray();
        double step = settings.Step ?? DefaultStep<T>(origin);
        double[] v = StartVector<T>(settings, n);
        double[] hv = new double[n];
        T[] plus = new T[n];
        T[] minus = new T[n];
        double eigenvalue = 0;
        try
        {
            for (int iteration = 1; iteration <= settings.MaxIterations; iteration++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Gradient(network, loss, inputs, targets, options, settings.Seed, origin, v, step, plus);
                Gradient(network, loss, inputs, targets, options, settings.Seed, origin, v, -step, minus);
                for (int i = 0; i < n; i++)
                {
                    hv[i] = (double.CreateTruncating(plus[i]) - double.CreateTruncating(minus[i])) / (2 * step);
                }

                double previous = eigenvalue;
                eigenvalue = TensorPrimitives.Dot<double>(v, hv);
                double norm = TensorPrimitives.Norm<double>(hv);
                if (norm == 0)
                {
                    return new SharpnessEstimate(0, iteration, false, v);
                }

                TensorPrimitives.Divide(hv, norm, v);
                if (iteration > 1 && Math.Abs(eigenvalue - previous) <= settings.Tolerance * Math.Abs(eigenvalue))
                {
                    return new SharpnessEstimate(eigenvalue, iteration, true, v);
                }
            }

            return new SharpnessEstimate(eigenvalue, settings.MaxIterations, false, v);
        }
        finally
        {
            origin.CopyTo(network.Parameters);
        }
    }

    /// <summary>∛u · max(1, ‖w‖), u the machine epsilon of <typeparamref name="T"/> (not <c>T.Epsilon</c>, the smallest subnormal).</summary>
    private static double DefaultStep<T>(ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double unit = double.CreateTruncating(T.BitIncrement(T.One) - T.One);
        return Math.Cbrt(unit) * Math.Max(1, double.CreateTruncating(TensorPrimitives.Norm(weights)));
    }

    /// <summary>The start vector with norm 1: the given one scaled, or a Gaussian one from the seed (every direction equally likely).</summary>
    private static double[] StartVector<T>(SharpnessOptions settings, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] v = new double[n];
        if (settings.StartVector is { } start)
        {
            start.CopyTo(v, 0);
        }
        else
        {
            new SeededRandom(settings.Seed).FillNormal<double>(v, 0, 1);
        }

        TensorPrimitives.Divide(v, TensorPrimitives.Norm<double>(v), v);
        return v;
    }

    /// <summary>The regularised gradient at origin + step · v, into <paramref name="gradient"/>; the weights stay at that point until the caller restores them.</summary>
    private static void Gradient<T>(Network<T> network, Loss<T> loss, ReadOnlyMatrixSpan<T> inputs, ReadOnlyMatrixSpan<T> targets, TrainingOptions? options, ulong key, T[] origin, double[] v, double step, T[] gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> weights = network.Parameters;
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = origin[i] + T.CreateTruncating(step * v[i]);
        }

        network.ComputeGradient(loss, inputs, targets, gradient, options, key);
        int nonFinite = Kernels.IndexOfNonFinite<T>(gradient);
        if (nonFinite >= 0)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture,
                $"The gradient at w {(step > 0 ? '+' : '−')} εv (ε = {Math.Abs(step):G3}) is {gradient[nonFinite]} for parameter {nonFinite}: the objective must be finite and smooth around the weights. Check the inputs and targets for NaN or infinity, or give a smaller SharpnessOptions.Step."));
        }
    }
}
