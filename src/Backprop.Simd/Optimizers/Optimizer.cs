using System.Numerics;

namespace Backprop.Simd.Optimizers;

/// <summary>
/// Updates parameters from their gradients: one step is one pass over the flat parameter, gradient and state spans.
/// </summary>
/// <remarks>
/// <para>To write your own, derive from this class: <see cref="Update"/> is the step over one range of parameters,
/// element by element (a trainer runs ranges on different threads, so an element's update may depend only on its own
/// parameter, gradient and state); <see cref="StatePerParameter"/> sizes the state it gets; <see cref="Name"/> and
/// <see cref="Hyperparameters"/> are what a checkpoint stores of it, and an <see cref="IOptimizerFactory"/>
/// registered under that name with <see cref="OptimizerRegistry"/> rebuilds it from them.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public abstract class Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private double _learningRate;

    /// <summary>Initialises the base learning rate.</summary>
    /// <param name="learningRate">The base learning rate; positive and finite.</param>
    protected Optimizer(double learningRate)
    {
        LearningRate = learningRate;
    }

    /// <summary>The base learning rate; a schedule scales it per epoch. It may be changed between training calls.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive, or not finite and nonzero in <typeparamref name="T"/> (1e300 is finite as a double but infinite as a float).</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            CheckBaseLearningRate(value, nameof(value));
            _learningRate = value;
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a usable base learning rate for <typeparamref name="T"/>: positive, and finite and nonzero once converted.</summary>
    internal static void CheckBaseLearningRate(double value, string name)
    {
        if (!(value > 0) || !IsFiniteIn(value) || T.IsZero(T.CreateTruncating(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"The learning rate must be positive and finite as a {typeof(T).Name}.");
        }
    }

    /// <summary>The number of steps taken, this one included while <see cref="Update"/> runs (Adam's bias correction counts them).</summary>
    public long StepCount { get; private set; }

    /// <summary>The name a checkpoint stores and <see cref="OptimizerRegistry"/> finds the factory by, for example <c>adam</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The hyperparameters besides the learning rate, by name, that rebuild this optimizer through its factory (a flag
    /// as 0 or 1), in a fixed order.
    /// </summary>
    public abstract IReadOnlyList<KeyValuePair<string, double>> Hyperparameters { get; }

    /// <summary>A short description with the hyperparameters.</summary>
    public abstract string Description { get; }

    /// <summary>The number of state values per parameter (0 for SGD, 1 for momentum, 2 for Adam).</summary>
    public abstract int StatePerParameter { get; }

    /// <summary>The optimizer's state (momentum buffers, moments), <see cref="StatePerParameter"/> blocks of the parameter count; empty before the first step.</summary>
    public ReadOnlySpan<T> State => StateBuffer;

    /// <summary>The state array, sized on the first step.</summary>
    private T[] StateBuffer { get; set; } = [];

    /// <summary>Takes one step: updates <paramref name="parameters"/> in place.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="gradients">Their gradients, as long as the parameters.</param>
    /// <param name="learningRate">The learning rate for this step (the base rate times the schedule's factor).</param>
    /// <exception cref="ArgumentException">The spans differ in length, or differ from the state's parameter count.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite in <typeparamref name="T"/>.</exception>
    /// <exception cref="ArithmeticException">The update left parameters infinite or NaN (a non-finite gradient, or a step that overflowed <typeparamref name="T"/>); they are updated all the same.</exception>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
    {
        if (parameters.Length != gradients.Length)
        {
            throw new ArgumentException($"{parameters.Length} parameters but {gradients.Length} gradients.", nameof(gradients));
        }

        CheckStepLearningRate(learningRate);

        BeginStep(parameters.Length);
        if (!UpdateRange(parameters, gradients, 0, parameters.Length, learningRate))
        {
            throw new ArithmeticException($"The update left some parameters infinite or NaN: a gradient was not finite, or the step overflowed {typeof(T).Name} (a learning rate far too large).");
        }
    }

    /// <summary>
    /// Throws unless a step's learning rate (the base rate times the schedule's factor, which may reach 0) is
    /// non-negative and finite in <typeparamref name="T"/>: an infinite one would turn every weight into ±∞ or NaN.
    /// </summary>
    internal static void CheckStepLearningRate(double learningRate)
    {
        if (!(learningRate >= 0) || !IsFiniteIn(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"The learning rate of a step must be non-negative and finite as a {typeof(T).Name}.");
        }
    }

    private static bool IsFiniteIn(double value) => double.IsFinite(value) && T.IsFinite(T.CreateTruncating(value));

    /// <summary>Sizes the state for <paramref name="parameterCount"/> parameters and counts a step; the update may then run in ranges.</summary>
    internal void BeginStep(int parameterCount)
    {
        int stateLength = StatePerParameter * parameterCount;
        if (StateBuffer.Length == 0 && stateLength > 0)
        {
            StateBuffer = new T[stateLength];
        }
        else if (StateBuffer.Length != stateLength)
        {
            throw new ArgumentException($"The optimizer's state is for {StateBuffer.Length / Math.Max(1, StatePerParameter)} parameters, not {parameterCount}.", nameof(parameterCount));
        }

        StepCount++;
    }

    /// <summary>Restores a saved state (for resuming training).</summary>
    /// <param name="state">The values of <see cref="State"/>.</param>
    /// <param name="stepCount">The value of <see cref="StepCount"/>.</param>
    public void RestoreState(ReadOnlySpan<T> state, long stepCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        if (StatePerParameter == 0 ? !state.IsEmpty : state.Length % StatePerParameter != 0)
        {
            throw new ArgumentException($"A state of {state.Length} values does not fit {StatePerParameter} values per parameter.", nameof(state));
        }

        StateBuffer = state.ToArray();
        StepCount = stepCount;
    }

    /// <summary>
    /// The update of parameters [<paramref name="start"/>, <paramref name="start"/> + the range's length) after
    /// <see cref="BeginStep"/>, with the range's slices of the state.
    /// </summary>
    internal bool UpdateRange(Span<T> parameters, ReadOnlySpan<T> gradients, int start, int parameterCount, double learningRate) =>
        Update(parameters, gradients, new OptimizerState<T>(StateBuffer, StatePerParameter, start, parameters.Length, parameterCount), learningRate);

    /// <summary>
    /// One step over one range of parameters: element-wise, so that ranges may run on different threads with the same
    /// results as one whole pass. <see cref="StepCount"/> already counts this step.
    /// </summary>
    /// <param name="parameters">The parameters of the range; update them in place.</param>
    /// <param name="gradients">Their gradients.</param>
    /// <param name="state">The optimizer's state for the range: <see cref="StatePerParameter"/> slices as long as the range.</param>
    /// <param name="learningRate">The learning rate of this step (the base rate times the schedule's factor).</param>
    /// <returns>Whether every updated parameter is finite: checked along the update's own pass, so that an overflow is
    /// caught at the step that caused it, the last one of a training run included.</returns>
    protected abstract bool Update(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, double learningRate);

    /// <inheritdoc/>
    public override string ToString() => Description;
}
