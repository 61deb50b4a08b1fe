using System.Globalization;
using System.Text;

namespace Backprop.Simd.Metrics;

/// <summary>
/// The accuracy, the confusion matrix, and precision, recall and F1 per class with their macro and weighted averages,
/// as scikit-learn's <c>classification_report(y_true, y_pred, labels=range(classCount), zero_division=0)</c>
/// computes them.
/// </summary>
/// <remarks>
/// <para>Zero division: a ratio whose denominator is 0 is 0, scikit-learn's default value (which it also warns
/// about). A class never predicted has precision 0, a class without samples has recall 0, and a class that neither
/// occurs nor is predicted has precision, recall and F1 0; <see cref="ConfusionMatrix.Support"/> and
/// <see cref="ConfusionMatrix.PredictedCount"/> tell those cases apart.</para>
/// <para>The macro average is the plain mean over all <see cref="ClassCount"/> classes (those without samples
/// included); the weighted average weights each class by its support. For single-label classification the
/// micro average of precision, recall and F1 equals <see cref="Accuracy"/>.</para>
/// </remarks>
public sealed class ClassificationReport
{
    private readonly ClassificationScores[] _classes;

    private ClassificationReport(ConfusionMatrix confusion)
    {
        Confusion = confusion;
        _classes = new ClassificationScores[confusion.ClassCount];
        double macroPrecision = 0, macroRecall = 0, macroF1 = 0;
        double weightedPrecision = 0, weightedRecall = 0, weightedF1 = 0;
        for (int c = 0; c < _classes.Length; c++)
        {
            int truePositives = confusion[c, c];
            int support = confusion.Support(c);
            int predicted = confusion.PredictedCount(c);
            var scores = new ClassificationScores(
                Ratio(truePositives, predicted),
                Ratio(truePositives, support),
                Ratio(2.0 * truePositives, (double)support + predicted),
                support);
            _classes[c] = scores;
            macroPrecision += scores.Precision;
            macroRecall += scores.Recall;
            macroF1 += scores.F1;
            weightedPrecision += scores.Precision * support;
            weightedRecall += scores.Recall * support;
            weightedF1 += scores.F1 * support;
        }

        int samples = confusion.SampleCount;
        int classes = _classes.Length;
        MacroAverage = new ClassificationScores(macroPrecision / classes, macroRecall / classes, macroF1 / classes, samples);
        WeightedAverage = new ClassificationScores(weightedPrecision / samples, weightedRecall / samples, weightedF1 / samples, samples);
    }

    /// <summary>The confusion matrix the scores come from.</summary>
    public ConfusionMatrix Confusion { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount => Confusion.ClassCount;

    /// <summary>The number of samples.</summary>
    public int SampleCount => Confusion.SampleCount;

    /// <summary>The fraction of samples predicted correctly, in [0, 1].</summary>
    public double Accuracy => Confusion.Accuracy;

    /// <summary>The scores of each class, indexed by class.</summary>
    public ReadOnlySpan<ClassificationScores> Classes => _classes;

    /// <summary>The unweighted mean of the classes' precision, recall and F1 (every class counts the same).</summary>
    public ClassificationScores MacroAverage { get; }

    /// <summary>The mean of the classes' precision, recall and F1 weighted by their support.</summary>
    public ClassificationScores WeightedAverage { get; }

    /// <summary>The report of true and predicted classes.</summary>
    /// <param name="actual">The true class of each sample, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="predicted">The predicted class of each sample, as many as <paramref name="actual"/>, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes; positive.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not positive, or a class is outside [0, <paramref name="classCount"/>) (the message names the first such index and its value).</exception>
    /// <exception cref="ArgumentException">The spans differ in length, or are empty.</exception>
    public static ClassificationReport Create(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount) =>
        new(ConfusionMatrix.Compute(actual, predicted, classCount));

    /// <summary>The report of a confusion matrix.</summary>
    /// <param name="confusion">The matrix.</param>
    /// <returns>The report.</returns>
    public static ClassificationReport Create(ConfusionMatrix confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        return new(confusion);
    }

    /// <summary>A table in scikit-learn's layout: one row per class, then accuracy, macro and weighted averages.</summary>
    /// <returns>The table, one line per row.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.Append(c, $"{string.Empty,12} {"precision",10} {"recall",10} {"f1-score",10} {"support",10}\n\n");
        void Row(string name, ClassificationScores s) =>
            text.Append(c, $"{name,12} {s.Precision,10:F2} {s.Recall,10:F2} {s.F1,10:F2} {s.Support,10}\n");
        for (int k = 0; k < _classes.Length; k++)
        {
            Row(k.ToString(c), _classes[k]);
        }

        text.Append(c, $"\n{"accuracy",12} {string.Empty,10} {string.Empty,10} {Accuracy,10:F2} {SampleCount,10}\n");
        Row("macro avg", MacroAverage);
        Row("weighted avg", WeightedAverage);
        return text.ToString();
    }

    private static double Ratio(double part, double whole) => whole == 0 ? 0 : part / whole;
}
