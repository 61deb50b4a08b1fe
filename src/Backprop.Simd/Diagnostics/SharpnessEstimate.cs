namespace Backprop.Simd.Diagnostics;

/// <summary>
/// The result of <see cref="Sharpness.Estimate"/>: the Hessian's eigenvalue of largest magnitude and its eigenvector,
/// in double whatever the network's element type, so that one estimate can warm-start the next
/// (<see cref="SharpnessOptions.StartVector"/>).
/// </summary>
/// <param name="Eigenvalue">
/// The Rayleigh quotient vᵀHv of the last iterate v (norm 1): signed, the eigenvalue of largest magnitude. Gradient
/// descent with learning rate η on a quadratic with this curvature is stable while η · Eigenvalue / 2 stays below 1.
/// </param>
/// <param name="Iterations">The Hessian-vector products computed (two gradients each).</param>
/// <param name="Converged">
/// Whether the eigenvalue changed by at most <see cref="SharpnessOptions.Tolerance"/> of itself in the last iteration;
/// false when <see cref="SharpnessOptions.MaxIterations"/> ran out first, or when Hv was exactly zero (the start vector
/// lies in the Hessian's null space: the eigenvalue reads 0; try another seed).
/// </param>
/// <param name="Eigenvector">
/// The next iterate, Hv / ‖Hv‖ (norm 1), one value per parameter in the order of
/// <see cref="Networks.Network{T}.Parameters"/>; the last v itself when Hv was zero. For a negative eigenvalue the
/// iterates alternate in sign.
/// </param>
public sealed record SharpnessEstimate(double Eigenvalue, int Iterations, bool Converged, double[] Eigenvector);
