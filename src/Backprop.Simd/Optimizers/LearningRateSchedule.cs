using System.Globalization;

namespace Backprop.Simd.Optimizers;

/// <summary>Scales the base learning rate per epoch (epochs counted from 0 across training calls).</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The same rate every epoch.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>A short description.</summary>
    public abstract string Description { get; }

    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="stepEpochs"/> epochs.</summary>
    /// <param name="stepEpochs">Epochs between decays; positive.</param>
    /// <param name="gamma">The factor per decay, in (0, 1].</param>
    /// <returns>The schedule.</returns>
    public static LearningRateSchedule Step(int stepEpochs, double gamma) => new StepSchedule(stepEpochs, gamma);

    /// <summary>Multiplies the rate by <paramref name="gamma"/> every epoch.</summary>
    /// <param name="gamma">The factor per epoch, in (0, 1].</param>
    /// <returns>The schedule.</returns>
    public static LearningRateSchedule Exponential(double gamma) => new StepSchedule(1, gamma);

    /// <summary>Cosine annealing from the base rate down to <paramref name="minimumFactor"/> times it over <paramref name="epochs"/> epochs, then stays there.</summary>
    /// <param name="epochs">The length of the cosine; positive.</param>
    /// <param name="minimumFactor">The final fraction of the base rate, in [0, 1].</param>
    /// <returns>The schedule.</returns>
    public static LearningRateSchedule Cosine(int epochs, double minimumFactor = 0) => new CosineSchedule(epochs, minimumFactor);

    /// <summary>The factor on the base learning rate in epoch <paramref name="epoch"/> (from 0).</summary>
    /// <param name="epoch">The epoch.</param>
    /// <returns>The factor.</returns>
    public abstract double Factor(int epoch);

    /// <inheritdoc/>
    public override string ToString() => Description;

    private sealed class ConstantSchedule : LearningRateSchedule
    {
        public override string Description => "constant";

        public override double Factor(int epoch) => 1;
    }

    /// <summary>Internal (not private) so that a model file can record the schedule of a training checkpoint.</summary>
    internal sealed class StepSchedule : LearningRateSchedule
    {
        private readonly int _stepEpochs;
        private readonly double _gamma;

        public StepSchedule(int stepEpochs, double gamma)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepEpochs);
            if (!(gamma > 0 && gamma <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "The decay factor must be in (0, 1].");
            }

            _stepEpochs = stepEpochs;
            _gamma = gamma;
        }

        public int StepEpochs => _stepEpochs;

        public double Gamma => _gamma;

        public override string Description => _stepEpochs == 1
            ? string.Create(CultureInfo.InvariantCulture, $"exponential(gamma {_gamma})")
            : string.Create(CultureInfo.InvariantCulture, $"step(every {_stepEpochs}, gamma {_gamma})");

        public override double Factor(int epoch) => Math.Pow(_gamma, epoch / _stepEpochs);
    }

    /// <summary>Internal (not private) so that a model file can record the schedule of a training checkpoint.</summary>
    internal sealed class CosineSchedule : LearningRateSchedule
    {
        private readonly int _epochs;
        private readonly double _minimum;

        public CosineSchedule(int epochs, double minimum)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
            if (!(minimum >= 0 && minimum <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "The minimum factor must be in [0, 1].");
            }

            _epochs = epochs;
            _minimum = minimum;
        }

        public int Epochs => _epochs;

        public double MinimumFactor => _minimum;

        public override string Description => string.Create(CultureInfo.InvariantCulture, $"cosine({_epochs} epochs, min {_minimum})");

        public override double Factor(int epoch) =>
            epoch >= _epochs ? _minimum : _minimum + ((1 - _minimum) * 0.5 * (1 + Math.Cos(Math.PI * epoch / _epochs)));
    }
}
