namespace Backprop.Simd.Diagnostics;

/// <summary>How <see cref="Sharpness.Estimate"/> runs its power iteration.</summary>
public sealed class SharpnessOptions
{
    /// <summary>The most Hessian-vector products (two gradients each). Default 50.</summary>
    public int MaxIterations { get; set; } = 50;

    /// <summary>
    /// Stop when the eigenvalue changes by at most this fraction of itself from one iteration to the next. Default 1e-4.
    /// The finite differences make each eigenvalue noisy by about u^⅔ of itself (u the machine epsilon: some 10⁻¹¹ in
    /// double, 10⁻⁵ in float), so a tolerance below that may never be met.
    /// </summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>
    /// The finite-difference step ε of the Hessian-vector products (the length of the perturbation, since the direction
    /// has norm 1); null (default) for ∛u · max(1, ‖w‖), with u the machine epsilon of the element type and w the
    /// parameters: a central difference errs by O(ε²) in truncation and O(u/ε) in rounding, which balance near ∛u,
    /// and scaling by ‖w‖ keeps the perturbation of each weight above the rounding of the weight itself.
    /// </summary>
    public double? Step { get; set; }

    /// <summary>The seed of the random start vector and of the masks of stochastic layers (one set of masks for every gradient). Default 42.</summary>
    public ulong Seed { get; set; } = 42;

    /// <summary>
    /// The start vector, one value per parameter in the order of <see cref="Networks.Network{T}.Parameters"/>; null
    /// (default) for a random one from <see cref="Seed"/>. Pass the <see cref="SharpnessEstimate.Eigenvector"/> of a
    /// previous estimate to warm-start: along a training run the top eigenvector moves little from one estimate to the
    /// next, and the iteration then converges in a few products. It need not have norm 1; it is not modified.
    /// </summary>
    public double[]? StartVector { get; set; }

    /// <summary>A copy of these options (sharing <see cref="StartVector"/>).</summary>
    /// <returns>The copy.</returns>
    public SharpnessOptions Clone() => (SharpnessOptions)MemberwiseClone();

    /// <summary>Throws naming the first invalid option; the start vector's length is checked against the network by <see cref="Sharpness.Estimate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MaxIterations"/> is not positive, <see cref="Tolerance"/> is not positive and finite, or <see cref="Step"/> is given and not positive and finite.</exception>
    /// <exception cref="ArgumentException"><see cref="StartVector"/> holds a NaN or an infinity, or only zeros.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxIterations, nameof(MaxIterations));
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "The tolerance must be positive and finite.");
        }

        if (Step is double step && (!(step > 0) || !double.IsFinite(step)))
        {
            throw new ArgumentOutOfRangeException(nameof(Step), step, "The finite-difference step must be positive and finite (or null for the default).");
        }

        if (StartVector is { } start)
        {
            int i = Array.FindIndex(start, x => !double.IsFinite(x));
            if (i >= 0)
            {
                throw new ArgumentException($"The start vector is not finite: value {i} is {start[i]}.", nameof(StartVector));
            }

            if (Array.TrueForAll(start, x => x == 0))
            {
                throw new ArgumentException($"The start vector's {start.Length} values are all zero: it has no direction to iterate from.", nameof(StartVector));
            }
        }
    }
}
