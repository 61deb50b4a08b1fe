using Backprop.Simd.Metrics;
using Backprop.Simd.Models;
using Backprop.Simd.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Simd.Tests.Metrics;

/// <summary><see cref="ConfusionMatrix"/> and <see cref="ClassificationReport"/> against hand-computed cases and scikit-learn's definitions.</summary>
[Trait("Category", "Metrics")]
public sealed class ClassificationReportTests
{
    private const double Exact = 1e-12;

    /// <summary>scikit-learn's classification_report documentation example: y_true [0, 1, 2, 2, 2], y_pred [0, 0, 2, 2, 1].</summary>
    [Fact]
    public void The_scikit_learn_documentation_example_gives_its_published_figures()
    {
        ClassificationReport report = ClassificationReport.Create([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], classCount: 3);

        AssertScores(report.Classes[0], 0.5, 1.0, 2.0 / 3, 1);
        AssertScores(report.Classes[1], 0.0, 0.0, 0.0, 1);
        AssertScores(report.Classes[2], 1.0, 2.0 / 3, 0.8, 3);
        Assert.Equal(0.6, report.Accuracy, Exact);
        AssertScores(report.MacroAverage, 0.5, 5.0 / 9, ((2.0 / 3) + 0.8) / 3, 5);
        AssertScores(report.WeightedAverage, 0.7, 0.6, ((2.0 / 3) + 2.4) / 5, 5);

        // The figures scikit-learn prints, rounded to two decimals.
        string text = report.ToString();
        Assert.Contains("           0       0.50       1.00       0.67          1", text, StringComparison.Ordinal);
        Assert.Contains("   macro avg       0.50       0.56       0.49          5", text, StringComparison.Ordinal);
        Assert.Contains("weighted avg       0.70       0.60       0.61          5", text, StringComparison.Ordinal);
        Assert.Contains("    accuracy                             0.60          5", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_confusion_matrix_counts_true_classes_by_row_and_predictions_by_column()
    {
        ConfusionMatrix confusion = ConfusionMatrix.Compute([0, 1, 2, 2, 2, 1], [0, 0, 2, 2, 1, 1], classCount: 3);

        int[,] expected = { { 1, 0, 0 }, { 1, 1, 0 }, { 0, 1, 2 } };
        for (int a = 0; a < 3; a++)
        {
            for (int p = 0; p < 3; p++)
            {
                Assert.Equal(expected[a, p], confusion[a, p]);
            }

            Assert.Equal([expected[a, 0], expected[a, 1], expected[a, 2]], confusion.Row(a).ToArray());
        }

        Assert.Equal([1, 2, 3], [confusion.Support(0), confusion.Support(1), confusion.Support(2)]);
        Assert.Equal([2, 2, 2], [confusion.PredictedCount(0), confusion.PredictedCount(1), confusion.PredictedCount(2)]);
        Assert.Equal(6, confusion.SampleCount);
        Assert.Equal(4, confusion.CorrectCount);
        Assert.Equal(4.0 / 6, confusion.Accuracy, Exact);
    }

    /// <summary>zero_division=0: a class never predicted, a class without samples, and one that is neither all score 0 and still count in the macro average.</summary>
    [Fact]
    public void A_zero_denominator_gives_zero_and_every_class_counts_in_the_macro_average()
    {
        // Class 0: two samples, one right. Class 1: no samples, predicted once. Class 2: never seen, never predicted.
        ClassificationReport report = ClassificationReport.Create([0, 0], [0, 1], classCount: 3);

        AssertScores(report.Classes[0], 1.0, 0.5, 2.0 / 3, 2);
        AssertScores(report.Classes[1], 0.0, 0.0, 0.0, 0);
        AssertScores(report.Classes[2], 0.0, 0.0, 0.0, 0);
        Assert.Equal(1, report.Confusion.PredictedCount(1));
        Assert.Equal(0, report.Confusion.PredictedCount(2));
        AssertScores(report.MacroAverage, 1.0 / 3, 0.5 / 3, 2.0 / 9, 2);
        AssertScores(report.WeightedAverage, 1.0, 0.5, 2.0 / 3, 2);
        Assert.All(report.Classes.ToArray(), s => Assert.False(double.IsNaN(s.Precision) || double.IsNaN(s.Recall) || double.IsNaN(s.F1)));
    }

    [Fact]
    public void All_right_scores_one_everywhere_a_class_has_samples()
    {
        ClassificationReport report = ClassificationReport.Create([1, 0, 1, 1], [1, 0, 1, 1], classCount: 2);

        AssertScores(report.Classes[0], 1, 1, 1, 1);
        AssertScores(report.Classes[1], 1, 1, 1, 3);
        Assert.Equal(1.0, report.Accuracy);
        AssertScores(report.MacroAverage, 1, 1, 1, 4);
        AssertScores(report.WeightedAverage, 1, 1, 1, 4);
    }

    /// <summary>Every figure against a direct count per class, as the definitions read; weighted recall is the accuracy.</summary>
    [Property(MaxTest = 100)]
    public Property Every_figure_follows_its_definition() =>
        Prop.ForAll(
            (from classes in Gen.Choose(1, 6)
             from count in Gen.Choose(1, 60)
             from actual in Gen.ArrayOf(Gen.Choose(0, classes - 1), count)
             from predicted in Gen.ArrayOf(Gen.Choose(0, classes - 1), count)
             select (classes, actual, predicted)).ToArbitrary(),
            c =>
            {
                ClassificationReport report = ClassificationReport.Create(c.actual, c.predicted, c.classes);
                int n = c.actual.Length;
                double macroP = 0, macroR = 0, macroF = 0, weightedP = 0, weightedF = 0;
                for (int k = 0; k < c.classes; k++)
                {
                    int tp = Enumerable.Range(0, n).Count(i => c.actual[i] == k && c.predicted[i] == k);
                    int fp = Enumerable.Range(0, n).Count(i => c.actual[i] != k && c.predicted[i] == k);
                    int fn = Enumerable.Range(0, n).Count(i => c.actual[i] == k && c.predicted[i] != k);
                    double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
                    double recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
                    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
                    AssertScores(report.Classes[k], precision, recall, f1, tp + fn);
                    macroP += precision / c.classes;
                    macroR += recall / c.classes;
                    macroF += f1 / c.classes;
                    weightedP += precision * (tp + fn) / n;
                    weightedF += f1 * (tp + fn) / n;
                }

                double accuracy = (double)Enumerable.Range(0, n).Count(i => c.actual[i] == c.predicted[i]) / n;
                Assert.Equal(accuracy, report.Accuracy, Exact);
                AssertScores(report.MacroAverage, macroP, macroR, macroF, n);
                AssertScores(report.WeightedAverage, weightedP, accuracy, weightedF, n);
            });

    [Fact]
    public void A_class_outside_the_class_count_is_refused_naming_the_first_bad_index()
    {
        var actual = Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationReport.Create([0, 1, 3, 4], [0, 1, 1, 1], classCount: 3));
        Assert.Equal("actual", actual.ParamName);
        Assert.Contains("Class 3 at index 2 of actual is outside [0, 3)", actual.Message, StringComparison.Ordinal);

        var predicted = Assert.Throws<ArgumentOutOfRangeException>(() => ConfusionMatrix.Compute([0, 1, 2], [0, -1, 7], classCount: 3));
        Assert.Equal("predicted", predicted.ParamName);
        Assert.Contains("Class -1 at index 1 of predicted", predicted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mismatched_empty_or_classless_input_is_refused_with_a_message()
    {
        var lengths = Assert.Throws<ArgumentException>(() => ClassificationReport.Create([0, 1, 1], [0, 1], classCount: 2));
        Assert.Contains("3 true classes but 2 predicted", lengths.Message, StringComparison.Ordinal);
        var empty = Assert.Throws<ArgumentException>(() => ClassificationReport.Create([], [], classCount: 2));
        Assert.Contains("no samples", empty.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationReport.Create([0], [0], classCount: 0));
        Assert.Throws<ArgumentNullException>(() => ClassificationReport.Create(null!));

        ConfusionMatrix confusion = ConfusionMatrix.Compute([0, 1], [1, 1], classCount: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => confusion[2, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => confusion[0, -1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => confusion.Support(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => confusion.PredictedCount(-1));
    }

    [Fact]
    public void A_classifier_reports_on_its_own_predictions_over_its_classes()
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(90, 6, 3, seed: 4);
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [8], ClassCount = 4, Training = { Epochs = 3, BatchSize = 16 } });
        classifier.Fit(data.Inputs, data.Labels);

        ClassificationReport report = classifier.Evaluate(data.Inputs, data.Labels);

        int[] predicted = classifier.Predict(data.Inputs);
        Assert.Equal(4, report.ClassCount);
        Assert.Equal(classifier.Score(data.Inputs, data.Labels), report.Accuracy, Exact);
        for (int i = 0; i < data.Labels.Length; i++)
        {
            Assert.True(report.Confusion[data.Labels[i], predicted[i]] > 0);
        }

        Assert.Equal(data.Labels.Length, report.SampleCount);
        Assert.Equal(0, report.Classes[3].Support);
        var stray = Assert.Throws<ArgumentOutOfRangeException>(() => classifier.Evaluate(data.Inputs.GetRows(0, 2), [1, 4]));
        Assert.Equal("labels", stray.ParamName);
        Assert.Contains("Label 4 at index 1", stray.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => classifier.Evaluate(data.Inputs, [1, 2]));
    }

    private static void AssertScores(ClassificationScores actual, double precision, double recall, double f1, int support)
    {
        Assert.Equal(precision, actual.Precision, Exact);
        Assert.Equal(recall, actual.Recall, Exact);
        Assert.Equal(f1, actual.F1, Exact);
        Assert.Equal(support, actual.Support);
    }
}
