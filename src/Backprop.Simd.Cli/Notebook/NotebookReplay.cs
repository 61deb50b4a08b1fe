using System.Diagnostics;
using System.Numerics;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>
/// Replays the notebook's experiments on its data: each one a classifier trained from the notebook's starting weights
/// (or, for a warm start, from a copy of the model it continues), scored as the notebook scored it and also with the
/// test digits standardised properly.
/// </summary>
/// <remarks>
/// <see cref="Create"/> is the building block: a study of the training itself (the error spikes of experiment 6) trains
/// a recipe, or a variation of it made with <c>with</c>, and reads the per-epoch series from the model's
/// <see cref="MlpClassifier{T}.History"/>. The trained weights are bitwise the same for any thread count.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="data">The split and prepared digits.</param>
/// <param name="seed">numpy's seed of the starting weights (the notebook seeds its classifiers with its 42), also the seed of any reshuffling.</param>
/// <param name="threads">The most threads; 0 for every processor.</param>
/// <param name="epochScale">Each experiment's epochs are multiplied by this (at least one each): 1 replays the notebook, less is a quick check.</param>
internal sealed class NotebookReplay<T>(NotebookData<T> data, uint seed, int threads, double epochScale)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The epochs run for a recipe of <paramref name="epochs"/>.</summary>
    public int ScaledEpochs(int epochs) => Math.Max(1, (int)Math.Round(epochs * epochScale, MidpointRounding.AwayFromZero));

    /// <summary>Runs <paramref name="experiments"/> in order; one that continues another must come after it.</summary>
    /// <param name="experiments">The experiments, for example <see cref="NotebookExperiment.All"/>.</param>
    /// <param name="progress">Receives where the replay stands after every epoch.</param>
    /// <param name="finished">Receives each experiment's result as soon as it is scored.</param>
    /// <param name="cancellationToken">Stops after the current minibatch.</param>
    /// <returns>One result per experiment.</returns>
    public IReadOnlyList<ExperimentResult<T>> RunAll(
        IReadOnlyList<NotebookExperiment> experiments,
        IProgress<ReplayProgress>? progress,
        IProgress<ExperimentResult<T>>? finished,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        double total = experiments.Sum(Work);
        double done = 0;
        var results = new List<ExperimentResult<T>>(experiments.Count);
        foreach (NotebookExperiment experiment in experiments)
        {
            ExperimentResult<T>? continued = experiment.Continues is int number
                ? results.Find(r => r.Experiment.Number == number) ?? throw new ArgumentException($"Experiment {experiment.Number} continues experiment {number}, which has not run before it.", nameof(experiments))
                : null;
            double before = done;
            double perEpoch = Work(experiment) / ScaledEpochs(experiment.Recipe.Epochs);
            IProgress<EpochMetrics>? epochs = progress is null ? null : new CallbackProgress<EpochMetrics>(m =>
                progress.Report(new ReplayProgress(experiment, m.Epoch, ScaledEpochs(experiment.Recipe.Epochs), m.Loss, before + (m.Epoch * perEpoch), total)));
            results.Add(Run(experiment, continued, epochs, cancellationToken));
            finished?.Report(results[^1]);
            done += Work(experiment);
        }

        return results;
    }

    /// <summary>Trains and scores one experiment.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="continued">The result of the experiment it continues, if it is a warm start.</param>
    /// <param name="progress">Receives each epoch's metrics.</param>
    /// <param name="cancellationToken">Stops after the current minibatch.</param>
    /// <returns>The result.</returns>
    public ExperimentResult<T> Run(NotebookExperiment experiment, ExperimentResult<T>? continued, IProgress<EpochMetrics>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        (Matrix<T> train, Matrix<T> test, Matrix<T>? testFitted) = data.Features(experiment.Recipe.Input);
        MlpClassifier<T> model = Create(experiment.Recipe, continued?.Model.Network);

        // Scoring the 500 test digits after every epoch costs a few thousandths of an epoch; it is left out of the seconds.
        var accuracies = new List<double>();
        long scoring = 0;
        var epochs = new CallbackProgress<EpochMetrics>(m =>
        {
            long before = Stopwatch.GetTimestamp();
            accuracies.Add(model.Score(test, data.Test.Labels));
            scoring += Stopwatch.GetTimestamp() - before;
            progress?.Report(m);
        });
        long start = Stopwatch.GetTimestamp();
        model.Fit(train, data.Train.Labels, epochs, cancellationToken);
        double seconds = (Stopwatch.GetTimestamp() - start - scoring) / (double)Stopwatch.Frequency;
        return new ExperimentResult<T>(
            experiment,
            continued is null ? 1 : continued.FirstEpoch + continued.Epochs,
            model.Score(test, data.Test.Labels),
            testFitted is null ? double.NaN : model.Score(testFitted, data.Test.Labels),
            model.Score(train, data.Train.Labels),
            seconds,
            [.. model.History],
            [.. accuracies],
            model);
    }

    /// <summary>
    /// A classifier ready to train <paramref name="recipe"/> for its (scaled) epochs on <see cref="NotebookData{T}.Features"/>
    /// of its input: from the notebook's starting weights, or on from a copy of <paramref name="from"/>.
    /// </summary>
    /// <param name="recipe">The settings.</param>
    /// <param name="from">A trained network to continue (it is not changed), or null to start afresh.</param>
    /// <returns>The classifier; its <c>Fit</c> trains.</returns>
    public MlpClassifier<T> Create(NotebookRecipe recipe, Network<T>? from)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        Network<T> network = from?.Clone() ?? NotebookInitialization.Create<T>(data.Train.FeatureCount, recipe.Hidden, data.Train.ClassCount, new NumpyRandom(seed));
        return new MlpClassifier<T>(network, recipe.ToOptions(ScaledEpochs(recipe.Epochs), seed, threads));
    }

    /// <summary>The work of an experiment: its epochs times its multiply-adds per sample (the samples are the same for all).</summary>
    private double Work(NotebookExperiment experiment) =>
        (double)ScaledEpochs(experiment.Recipe.Epochs) * experiment.Recipe.MultiplyAddsPerSample(data.Train.FeatureCount, data.Train.ClassCount);
}
