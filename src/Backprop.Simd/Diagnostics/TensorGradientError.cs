namespace Backprop.Simd.Diagnostics;

/// <summary>How far the analytic gradient of one tensor is from central finite differences.</summary>
/// <param name="Name">The tensor, for example <c>layer 0 weights</c> or <c>input</c>.</param>
/// <param name="Count">Elements compared.</param>
/// <param name="Skipped">Elements left out because the perturbation crossed a point where the function is not differentiable (a ReLU kink, |w| at 0).</param>
/// <param name="MaxRelativeError">max over elements of |analytic − numeric| / max(|analytic|, |numeric|, floor): the floor is 10⁻³ times the tensor's largest numeric gradient, and at least 10⁻⁵ max(1, |loss|) (10⁻³ max(1, |loss|) for elements that needed the 100 times smaller step next to a kink), below which finite differences in double cannot resolve a gradient to 10⁻⁶.</param>
/// <param name="MaxAbsoluteError">max over elements of |analytic − numeric|.</param>
public readonly record struct TensorGradientError(string Name, int Count, int Skipped, double MaxRelativeError, double MaxAbsoluteError);
