using System.Diagnostics;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Data;
using Backprop.Simd.Diagnostics;
using Backprop.Simd.Losses;
using Backprop.Simd.Models;
using Backprop.Simd.Numerics;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>
/// The notebook's open question after experiment 6, "why does the error spike up and down every ~20-25 epochs?",
/// measured: each <see cref="SpikeVariant"/> trains from the notebook's starting weights and records per epoch the
/// error, the gradient norms, the test accuracy, and every few epochs the sharpness of its objective on a fixed
/// minibatch (the training set's first), warm-started from the previous estimate's eigenvector.
/// </summary>
/// <param name="data">The notebook's split.</param>
/// <param name="replay">Creates each variant's classifier from the notebook's starting weights and scales its epochs.</param>
/// <param name="sharpnessEvery">Estimate the sharpness after every this many epochs (and after the last).</param>
internal sealed class SpikeStudy(NotebookData<double> data, NotebookReplay<double> replay, int sharpnessEvery)
{
    /// <summary>The first estimate starts from a random direction and may need this many products to converge.</summary>
    private const int ColdIterations = 100;

    /// <summary>Later estimates start from the previous eigenvector, which moves little in a few epochs.</summary>
    private const int WarmIterations = 30;

    /// <summary>A relative change of 10⁻³ per iteration: the ratio is read against 1, to two digits.</summary>
    private const double Tolerance = 1e-3;

    /// <summary>Trains <paramref name="variant"/> and measures it.</summary>
    /// <param name="variant">The variant.</param>
    /// <param name="progress">Receives each epoch's number and error.</param>
    /// <param name="cancellationToken">Stops after the current minibatch or Hessian-vector product.</param>
    /// <returns>The measurements.</returns>
    public SpikeResult Run(SpikeVariant variant, IProgress<EpochMetrics>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variant);
        NotebookRecipe recipe = variant.Recipe with { RecordSteps = true };
        (Matrix<double> train, Matrix<double> test, _) = data.Features(recipe.Input);
        MlpClassifier<double> model = replay.Create(recipe, null);
        int epochs = replay.ScaledEpochs(recipe.Epochs);
        int batchRows = data.FirstBatchRows(recipe.BatchCount);
        Matrix<double> batch = train.GetRows(0, batchRows);
        Matrix<double> targets = OneHot.Encode<double>(data.Train.Labels.AsSpan(0, batchRows), data.Train.ClassCount);
        TrainingOptions objective = model.Options.Training;
        var loss = new SigmoidCrossEntropy<double>();
        var sharpness = new List<SharpnessPoint>();
        double[]? eigenvector = null;
        void Estimate(int epoch)
        {
            var settings = new SharpnessOptions { MaxIterations = eigenvector is null ? ColdIterations : WarmIterations, Tolerance = Tolerance, StartVector = eigenvector };
            SharpnessEstimate estimate = Sharpness.Estimate(model.Network, loss, batch, targets, objective, settings, cancellationToken);
            eigenvector = estimate.Eigenvector;
            sharpness.Add(new SharpnessPoint(epoch, estimate.Eigenvalue, estimate.Eigenvalue * recipe.LearningRate / 2, estimate.Iterations, estimate.Converged));
        }

        long start = Stopwatch.GetTimestamp();
        Estimate(0);
        var accuracies = new List<double>(epochs);
        model.Fit(train, data.Train.Labels, new CallbackProgress<EpochMetrics>(m =>
        {
            accuracies.Add(model.Score(test, data.Test.Labels));
            if (m.Epoch % sharpnessEvery == 0 || m.Epoch == epochs)
            {
                Estimate(m.Epoch);
            }

            progress?.Report(m);
        }), cancellationToken);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        double scale = variant.ObjectiveScale;
        TrainingHistory history = model.History;
        double[] largest = new double[history.Count];
        foreach (StepMetrics step in history.Steps)
        {
            largest[step.Epoch - 1] = Math.Max(largest[step.Epoch - 1], step.GradientNorm * scale);
        }

        return new SpikeResult(
            variant,
            [.. history.Select(m => m.Loss * scale)],
            [.. history.Select(m => m.GradientNorm * scale)],
            largest,
            sharpness,
            [.. accuracies],
            seconds);
    }
}
