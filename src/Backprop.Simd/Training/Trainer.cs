using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Numerics.Threading;
using Backprop.Simd.Optimizers;

namespace Backprop.Simd.Training;

/// <summary>
/// Trains a <see cref="Network{T}"/> with minibatch backpropagation: each minibatch is split into
/// <see cref="TrainingOptions.Shards"/> shards that run forward and backward in parallel, their gradients summed in a
/// fixed order, so the trained weights are bitwise identical for any thread count and from run to run. After the
/// first epoch a training step allocates nothing.
/// </summary>
/// <remarks>
/// Calling <c>Fit</c> again continues from the current weights, optimizer state, epoch count and shuffling sequence;
/// change <see cref="Optimizer{T}.LearningRate"/> in between to warm-start with another rate. The same continuation
/// works across processes: <see cref="CreateCheckpoint"/> captures the trainer's state, a model file stores it with the
/// weights, and <see cref="Resume"/> builds a trainer that carries on bitwise as this one would have.
/// <para>A trainer runs one call at a time: <c>Fit</c>, <see cref="TrainStep"/> or <see cref="Evaluate"/> from a
/// second thread meanwhile, or a training call from inside its own progress callback, throws
/// <see cref="InvalidOperationException"/> (<see cref="Evaluate"/> from a callback is fine). So does a call of another
/// trainer or classifier on the same network while this one runs: it is refused at its start. Predicting with
/// <see cref="Network{T}.Predict(Matrix{T})"/> from other threads during training is safe but reads weights that may be
/// mid-update.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;
    private readonly Loss<T> _loss;
    private readonly Optimizer<T> _optimizer;
    private readonly TrainingOptions _options;
    private SeededRandom _shuffle;
    private readonly ShardedStep<T> _shards;
    private readonly GradientReduction<T> _reduction;
    private readonly OptimizerStep<T> _optimizerStep;
    private readonly PhaseClock _phases = new();
    private T[] _batchInputs = [];
    private T[] _batchTargets = [];
    private int[] _order = [];
    private StepMetrics[] _epochSteps = [];
    private T[]? _bestParameters;
    private long _steps;
    private int _ownerThread;
    private int _epochs;

    /// <summary>Creates a trainer.</summary>
    /// <param name="network">The network to train (its weights change in place).</param>
    /// <param name="loss">The loss.</param>
    /// <param name="optimizer">The optimizer, with its base learning rate.</param>
    /// <param name="options">The options (copied); defaults if null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid.</exception>
    public Trainer(Network<T> network, Loss<T> loss, Optimizer<T> optimizer, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        _options = (options ?? new TrainingOptions()).Clone();
        _options.Validate();
        _network = network;
        _loss = loss;
        _optimizer = optimizer;
        _shuffle = new SeededRandom(_options.Seed);
        _shards = new ShardedStep<T>(network, _options.Shards, _phases);
        _reduction = new GradientReduction<T>(network.ParameterArray, network.GradientArray, _shards.ShardGradients, network.RegularizedRanges(_options.RegularizeBiases));
        _optimizerStep = new OptimizerStep<T>(network.ParameterArray, network.GradientArray);
    }

    /// <summary>
    /// Creates a trainer that continues from <paramref name="checkpoint"/>: its optimizer (rebuilt with the saved
    /// hyperparameters, state and step count), epoch and step counts, shuffling generator, sample order and history.
    /// Given the network with the checkpoint's weights, the same loss and the same options, training on gives bitwise
    /// the same weights as if training had never stopped.
    /// </summary>
    /// <param name="network">The network holding the weights saved with the checkpoint (for example a loaded <see cref="Serialization.SavedModel{T}.Network"/>).</param>
    /// <param name="loss">The loss; the one used before, for an exact continuation.</param>
    /// <param name="checkpoint">The checkpoint, from <see cref="CreateCheckpoint"/> or a model file.</param>
    /// <param name="options">
    /// The options; null for the checkpoint's own. Changing <see cref="TrainingOptions.Epochs"/> (per <c>Fit</c> call) or
    /// <see cref="TrainingOptions.MaxDegreeOfParallelism"/> keeps the continuation exact; other changes warm-start with new settings.
    /// </param>
    /// <returns>The trainer.</returns>
    /// <exception cref="ArgumentException">The checkpoint's optimizer state was saved for a different parameter count than the network's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid.</exception>
    public static Trainer<T> Resume(Network<T> network, Loss<T> loss, TrainingCheckpoint checkpoint, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(checkpoint);
        Optimizer<T> optimizer = checkpoint.CreateOptimizer<T>();
        int expected = optimizer.StatePerParameter * network.ParameterCount;
        if (optimizer.State.Length != 0 && optimizer.State.Length != expected)
        {
            throw new ArgumentException(
                $"The checkpoint's optimizer state holds {optimizer.State.Length} values but {optimizer.Description} needs {expected} for the network's {network.ParameterCount} parameters.",
                nameof(checkpoint));
        }

        var trainer = new Trainer<T>(network, loss, optimizer, options ?? checkpoint.Options)
        {
            _epochs = checkpoint.EpochsCompleted,
            _steps = checkpoint.StepsCompleted,
            _shuffle = new SeededRandom(checkpoint.ShuffleState),
            _order = checkpoint.SampleOrder.ToArray(),
        };
        trainer.History.CopyFrom(checkpoint.History);
        return trainer;
    }

    /// <summary>The network being trained.</summary>
    public Network<T> Network => _network;

    /// <summary>The loss.</summary>
    public Loss<T> Loss => _loss;

    /// <summary>The optimizer; set its <see cref="Optimizer{T}.LearningRate"/> between <c>Fit</c> calls to change the rate.</summary>
    public Optimizer<T> Optimizer => _optimizer;

    /// <summary>The time the steps so far spent in each phase (for the benchmarks' phase accounting).</summary>
    internal TrainingPhases Phases => _phases.Read();

    /// <summary>A copy of the options in use; options are fixed per trainer.</summary>
    public TrainingOptions Options => _options.Clone();

    /// <summary>The metrics of every epoch so far, across <c>Fit</c> calls.</summary>
    public TrainingHistory History { get; } = new();

    /// <summary>Epochs completed so far.</summary>
    public int EpochsCompleted => _epochs;

    /// <summary>Minibatch steps applied so far.</summary>
    public long StepsCompleted => _steps;

    /// <summary>
    /// Captures what training needs, besides the weights, to continue exactly from here (see <see cref="TrainingCheckpoint"/>).
    /// Take it between <c>Fit</c> calls or from an epoch's progress report (to save every epoch); resuming from a report
    /// continues as the running <c>Fit</c> does, except for early stopping, whose count of epochs without improvement
    /// starts again.
    /// </summary>
    /// <returns>A snapshot, unchanged by later training.</returns>
    public TrainingCheckpoint CreateCheckpoint()
    {
        var shuffleState = new ulong[SeededRandom.StateLength];
        _shuffle.GetState(shuffleState);
        return new TrainingCheckpoint(OptimizerSnapshot.Capture(_optimizer), _options, _epochs, _steps, shuffleState, [.. _order], History.Clone());
    }

    /// <summary>
    /// Trains for <see cref="TrainingOptions.Epochs"/> epochs, holding out <see cref="TrainingOptions.ValidationFraction"/>
    /// of the rows (the last ones) for validation when that is positive.
    /// </summary>
    /// <param name="inputs">The inputs, [samples x input size].</param>
    /// <param name="targets">The targets, [samples x output size] (one-hot rows for classification).</param>
    /// <param name="progress">Receives each epoch's metrics.</param>
    /// <param name="cancellationToken">Stops training after the current minibatch, leaving a consistent model, and throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The history, all epochs so far.</returns>
    public TrainingHistory Fit(Matrix<T> inputs, Matrix<T> targets, IProgress<EpochMetrics>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(inputs, targets, null, null, progress, null, cancellationToken);

    /// <summary>
    /// Trains for <see cref="TrainingOptions.Epochs"/> epochs with an explicit validation set or, when none is given,
    /// holding out <see cref="TrainingOptions.ValidationFraction"/> of the rows (the last ones) when that is positive.
    /// </summary>
    /// <param name="inputs">The inputs, [samples x input size].</param>
    /// <param name="targets">The targets, [samples x output size].</param>
    /// <param name="validationInputs">Validation inputs, or null.</param>
    /// <param name="validationTargets">Validation targets, or null.</param>
    /// <param name="progress">Receives each epoch's metrics.</param>
    /// <param name="batchProgress">Receives progress after each minibatch.</param>
    /// <param name="cancellationToken">Stops training after the current minibatch and throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The history, all epochs so far.</returns>
    /// <exception cref="ArgumentException">The shapes do not match the network or each other, there are no training rows, or the validation set (given or held out) holds a NaN or an infinity.</exception>
    /// <exception cref="InvalidOperationException">The trainer is in use by another thread, or another trainer (or classifier) is training the same network.</exception>
    /// <exception cref="TrainingDivergedException">A loss or gradient became non-finite (the weights are those of the last finite step), or an update overflowed the element type (<see cref="TrainingDivergedException.WeightsAreFinite"/> is false).</exception>
    public TrainingHistory Fit(
        Matrix<T> inputs,
        Matrix<T> targets,
        Matrix<T>? validationInputs,
        Matrix<T>? validationTargets,
        IProgress<EpochMetrics>? progress = null,
        IProgress<BatchProgress>? batchProgress = null,
        CancellationToken cancellationToken = default)
    {
        bool entered = Enter(training: true);
        try
        {
            return FitCore(inputs, targets, validationInputs, validationTargets, progress, batchProgress, cancellationToken);
        }
        finally
        {
            Exit(entered);
        }
    }

    private TrainingHistory FitCore(
        Matrix<T> inputs,
        Matrix<T> targets,
        Matrix<T>? validationInputs,
        Matrix<T>? validationTargets,
        IProgress<EpochMetrics>? progress,
        IProgress<BatchProgress>? batchProgress,
        CancellationToken cancellationToken)
    {
        CheckData(inputs, targets, "inputs", "targets");
        ThrowIfEmpty(inputs, "inputs");
        bool validate = validationInputs is not null || validationTargets is not null;
        int heldOut = validate ? 0 : (int)(inputs.Rows * _options.ValidationFraction);
        if (validate)
        {
            CheckData(validationInputs!, validationTargets!, "validationInputs", "validationTargets");
            if (validationInputs!.Rows == 0)
            {
                throw new ArgumentException($"The validation set is [0 x {validationInputs.Columns}]: pass null for no validation, or some rows.", nameof(validationInputs));
            }

            ValidationData.ThrowIfNotFinite(validationInputs, nameof(validationInputs));
            ValidationData.ThrowIfNotFinite(validationTargets!, nameof(validationTargets));
        }
        else if (heldOut > 0)
        {
            int training = inputs.Rows - heldOut;
            (validationInputs, validationTargets) = (inputs.GetRows(training, heldOut), targets.GetRows(training, heldOut));
            ValidationData.ThrowIfNotFinite(validationInputs, nameof(inputs), training);
            ValidationData.ThrowIfNotFinite(validationTargets, nameof(targets), training);
            (inputs, targets) = (inputs.GetRows(0, training), targets.GetRows(0, training));
            validate = true;
        }

        if (_options.EarlyStoppingPatience > 0 && !validate)
        {
            throw new ArgumentException(
                $"Early stopping (patience {_options.EarlyStoppingPatience}) needs validation data: pass a validation set, or a ValidationFraction that holds out at least one of the {inputs.Rows} rows.",
                nameof(validationInputs));
        }

        int samples = inputs.Rows;
        int batches = MinibatchPlan.Count(samples, _options);
        int maxBatch = MinibatchPlan.MaxSize(samples, _options);
        if (_options.Shuffle)
        {
            EnsureBatchBuffers(maxBatch);
        }

        if (_order.Length != samples)
        {
            _order = [.. Enumerable.Range(0, samples)];
        }

        if (_options.RecordSteps && _epochSteps.Length < batches)
        {
            _epochSteps = new StepMetrics[batches];
        }

        // The best weights of this call only: a snapshot left by an earlier Fit must never come back.
        double best = double.PositiveInfinity;
        bool haveBest = false;
        int sinceBest = 0;
        History.StoppedEarly = false;
        for (int e = 0; e < _options.Epochs; e++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double learningRate = _optimizer.LearningRate * _options.Schedule.Factor(_epochs);
            if (_options.Shuffle)
            {
                _shuffle.Shuffle(_order.AsSpan());
            }

            long start = Stopwatch.GetTimestamp();
            double objective = 0, dataLoss = 0, norms = 0;
            for (int b = 0; b < batches; b++)
            {
                int first = MinibatchPlan.Start(b, samples, _options);
                int rows = MinibatchPlan.Start(b + 1, samples, _options) - first;
                (double stepObjective, double stepData, double norm) = _options.Shuffle
                    ? StepOnRows(inputs, targets, first, rows, learningRate, _epochs + 1, b + 1)
                    : Step(inputs.Array, inputs.Offset + (first * inputs.Columns), targets.Array, targets.Offset + (first * targets.Columns), rows, learningRate, _epochs + 1, b + 1);
                objective += stepObjective;
                dataLoss += stepData;
                norms += norm;
                if (_options.RecordSteps)
                {
                    _epochSteps[b] = new StepMetrics(_epochs + 1, b, stepObjective, norm, learningRate);
                }

                if (batchProgress is not null)
                {
                    double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    batchProgress.Report(new BatchProgress(_epochs + 1, b + 1, batches, stepObjective, (first + rows) / Math.Max(elapsed, 1e-9)));
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            _epochs++;
            (double validationLoss, double validationAccuracy) = validate ? EvaluateCore(validationInputs!, validationTargets!) : (double.NaN, double.NaN);
            var metrics = new EpochMetrics(_epochs, objective / batches, dataLoss / samples, validationLoss, validationAccuracy, norms / batches, learningRate, seconds);
            History.Add(metrics);
            if (_options.RecordSteps)
            {
                History.AddSteps(_epochSteps.AsSpan(0, batches));
            }

            progress?.Report(metrics);

            if (_options.EarlyStoppingPatience > 0 && validate)
            {
                if (validationLoss < best)
                {
                    best = validationLoss;
                    sinceBest = 0;
                    _bestParameters ??= new T[_network.ParameterCount];
                    _network.Parameters.CopyTo(_bestParameters);
                    haveBest = true;
                    History.BestEpoch = _epochs;
                }
                else if (++sinceBest >= _options.EarlyStoppingPatience)
                {
                    History.StoppedEarly = true;
                    break;
                }
            }
        }

        if (haveBest)
        {
            _bestParameters.CopyTo(_network.Parameters);
        }

        return History;
    }

    /// <summary>
    /// One training step on all rows of a batch: forward and backward in shards, gradient reduction, L1/L2, the
    /// divergence check and the optimizer update. Allocation-free after the first call.
    /// </summary>
    /// <param name="inputs">The batch inputs, [batch x input size].</param>
    /// <param name="targets">The batch targets, [batch x output size].</param>
    /// <returns>The step's objective: the reduced loss plus the penalty.</returns>
    /// <exception cref="ArgumentException">The shapes do not match the network or each other, or the batch has no rows.</exception>
    /// <exception cref="TrainingDivergedException">The loss or gradient is not finite (the step was not applied), or the update overflowed the element type (<see cref="TrainingDivergedException.WeightsAreFinite"/> is false).</exception>
    public double TrainStep(Matrix<T> inputs, Matrix<T> targets)
    {
        CheckData(inputs, targets, nameof(inputs), nameof(targets));
        ThrowIfEmpty(inputs, nameof(inputs));
        bool entered = Enter(training: true);
        try
        {
            return Step(inputs.Array, inputs.Offset, targets.Array, targets.Offset, inputs.Rows, _optimizer.LearningRate * _options.Schedule.Factor(_epochs), _epochs + 1, 1).Objective;
        }
        finally
        {
            Exit(entered);
        }
    }

    /// <summary>The mean per-sample loss and the accuracy of the network on a data set (inference mode, batched, multithreaded).</summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="targets">The targets.</param>
    /// <returns>The loss and the accuracy (argmax of output against argmax of target; for one output, both sides of 0.5).</returns>
    public (double Loss, double Accuracy) Evaluate(Matrix<T> inputs, Matrix<T> targets)
    {
        CheckData(inputs, targets, nameof(inputs), nameof(targets));
        bool entered = Enter(training: false);
        try
        {
            return EvaluateCore(inputs, targets);
        }
        finally
        {
            Exit(entered);
        }
    }

    /// <summary>
    /// Takes the trainer, and its network, for the calling thread. It runs one call at a time, since the calls share the
    /// network's layer buffers and the shards' per-step state: another thread's call meanwhile, another trainer's on the
    /// same network, or a training call from inside a progress callback of this one, would read and write them at once
    /// (wrong results, lost steps, odd exceptions). <see cref="Evaluate"/> from a callback is allowed (the training
    /// call waits for the callback to return).
    /// </summary>
    /// <returns>Whether this call took the trainer (and must give it back), or runs inside the same thread's call.</returns>
    private bool Enter(bool training)
    {
        int me = Environment.CurrentManagedThreadId;
        int owner = Interlocked.CompareExchange(ref _ownerThread, me, 0);
        if (owner == 0)
        {
            try
            {
                _network.TakeForTraining(this);
            }
            catch
            {
                Volatile.Write(ref _ownerThread, 0);
                throw;
            }

            return true;
        }

        if (owner == me && !training)
        {
            return false;
        }

        throw new InvalidOperationException(owner == me
            ? "Fit or TrainStep was called from inside this trainer's own training call (a progress callback); a trainer runs one call at a time."
            : "This trainer is in use by another thread; a trainer runs one Fit, TrainStep or Evaluate at a time (Network.Predict is thread-safe).");
    }

    private void Exit(bool entered)
    {
        if (entered)
        {
            _network.ReleaseFromTraining(this);
            Volatile.Write(ref _ownerThread, 0);
        }
    }

    private (double Loss, double Accuracy) EvaluateCore(Matrix<T> inputs, Matrix<T> targets)
    {
        const int Chunk = 2048;
        double loss = 0;
        long correct = 0;
        var context = LayerContext<T>.Inference(_options.MaxDegreeOfParallelism);
        for (int start = 0; start < inputs.Rows; start += Chunk)
        {
            int rows = Math.Min(Chunk, inputs.Rows - start);
            ReadOnlyMatrixSpan<T> output = _network.Stack.Forward(inputs.Slice(start, rows), context);
            ReadOnlyMatrixSpan<T> target = targets.Slice(start, rows);
            loss += _loss.EvaluateAfter(_network.Layers[^1], output, target);
            for (int i = 0; i < rows; i++)
            {
                correct += SameClass(output.Row(i), target.Row(i)) ? 1 : 0;
            }
        }

        return inputs.Rows == 0 ? (double.NaN, double.NaN) : (loss / inputs.Rows, (double)correct / inputs.Rows);
    }

    private static bool SameClass(ReadOnlySpan<T> output, ReadOnlySpan<T> target)
    {
        if (output.Length == 1)
        {
            T half = T.One / (T.One + T.One);
            return output[0] >= half == target[0] >= half;
        }

        return Kernels.ArgMax(output) == Kernels.ArgMax(target);
    }

    /// <summary>A step on the shuffled rows <c>_order[first ..]</c>: the shards gather their rows into the batch buffers.</summary>
    private (double Objective, double Data, double Norm) StepOnRows(Matrix<T> inputs, Matrix<T> targets, int first, int rows, double learningRate, int epoch, int batch)
    {
        int threads = WorkerPool.ResolveThreads(_options.MaxDegreeOfParallelism);
        double lossSum = _shards.RunGathered(inputs, targets, _order, first, _batchInputs, _batchTargets, rows, _loss, GradientScale(rows), StepKey, threads);
        return Finish(lossSum, rows, learningRate, epoch, batch, threads);
    }

    private (double Objective, double Data, double Norm) Step(T[] x, int xOffset, T[] y, int yOffset, int rows, double learningRate, int epoch, int batch)
    {
        int threads = WorkerPool.ResolveThreads(_options.MaxDegreeOfParallelism);
        double lossSum = _shards.Run(x, xOffset, y, yOffset, rows, _loss, GradientScale(rows), StepKey, threads);
        return Finish(lossSum, rows, learningRate, epoch, batch, threads);
    }

    private ulong StepKey => StreamKey.Mix(_options.Seed, (ulong)_steps);

    private T GradientScale(int rows) => _options.Reduction == Reduction.Mean ? T.One / T.CreateChecked(rows) : T.One;

    /// <summary>After the shards: reduction, penalties, the divergence check and the optimizer update.</summary>
    private (double Objective, double Data, double Norm) Finish(double lossSum, int rows, double learningRate, int epoch, int batch, int threads)
    {
        long start = Stopwatch.GetTimestamp();
        (double penalty, double norm) = _reduction.Run(_shards.SeparateGradients, _options.L1, _options.L2, threads);
        _phases.AddReduction(Stopwatch.GetTimestamp() - start);
        double reduced = _options.Reduction == Reduction.Mean ? lossSum / rows : lossSum;
        double objective = reduced + penalty;
        if (!double.IsFinite(objective) || !double.IsFinite(norm))
        {
            // Only on this path: weights a caller set to NaN or ∞ give a non-finite loss too, and then the message
            // must not say that they are a finite step's.
            throw new TrainingDivergedException(epoch, batch, objective, norm, Kernels.IndexOfNonFinite<T>(_network.Parameters) < 0 ? DivergedWeights.LastFiniteStep : DivergedWeights.NotFiniteBefore);
        }

        start = Stopwatch.GetTimestamp();
        bool finite = _optimizerStep.Run(_optimizer, learningRate, threads);
        _phases.AddUpdate(Stopwatch.GetTimestamp() - start);
        _steps++;
        if (!finite)
        {
            throw new TrainingDivergedException(epoch, batch, objective, norm, DivergedWeights.OverflowedByThisStep);
        }

        return (objective, lossSum, norm);
    }

    private void EnsureBatchBuffers(int rows)
    {
        if (_batchInputs.Length < rows * _network.InputSize)
        {
            _batchInputs = new T[rows * _network.InputSize];
            _batchTargets = new T[rows * _network.OutputSize];
        }
    }

    private void CheckData(Matrix<T> inputs, Matrix<T> targets, string inputsName, string targetsName)
    {
        ArgumentNullException.ThrowIfNull(inputs, inputsName);
        ArgumentNullException.ThrowIfNull(targets, targetsName);
        if (inputs.Columns != _network.InputSize)
        {
            throw new ArgumentException($"The network takes {_network.InputSize} features but {inputsName} is [{inputs.Rows} x {inputs.Columns}].", inputsName);
        }

        if (targets.Columns != _network.OutputSize || targets.Rows != inputs.Rows)
        {
            throw new ArgumentException(
                $"{targetsName} is [{targets.Rows} x {targets.Columns}] but must be [{inputs.Rows} x {_network.OutputSize}] to match {inputsName} and the network's outputs.",
                targetsName);
        }
    }

    /// <summary>A step needs rows: without any the mean is 0/0 and the minibatch plan divides by zero.</summary>
    private static void ThrowIfEmpty(Matrix<T> inputs, string name)
    {
        if (inputs.Rows == 0)
        {
            throw new ArgumentException($"There is nothing to train on: {name} is [0 x {inputs.Columns}].", name);
        }
    }
}
