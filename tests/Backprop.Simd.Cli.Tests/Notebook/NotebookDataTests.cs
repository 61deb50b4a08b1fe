using Backprop.Simd.Cli.Notebook;
using Backprop.Simd.Data;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Cli.Tests.Notebook;

public sealed class NotebookDataTests
{
    /// <summary>600 digits whose first feature is their row number; column 1 is constant, columns 2 and 3 vary.</summary>
    private static Dataset<double> Numbered(int count)
    {
        var features = new Matrix<double>(count, 4);
        for (int i = 0; i < count; i++)
        {
            features[i, 0] = i;
            features[i, 1] = 7;
            features[i, 2] = (i * 37) % 256;
            features[i, 3] = i % 3 == 0 ? 255 : 0;
        }

        return new Dataset<double>(features, [.. Enumerable.Range(0, count).Select(i => i % 10)], 10);
    }

    [Fact]
    public void The_first_500_of_numpys_permutation_are_the_test_set_and_the_rest_train_in_order()
    {
        Dataset<double> all = Numbered(600);
        int[] order = new NumpyRandom(42).Permutation(600);

        NotebookData<double> data = NotebookData<double>.Split(all, 42, 0, "numbered", 25);

        Assert.Equal(order[..500], Enumerable.Range(0, 500).Select(i => (int)data.Test.Features[i, 0]));
        Assert.Equal(order[500..], Enumerable.Range(0, 100).Select(i => (int)data.Train.Features[i, 0]));
        Assert.Equal(order[500..].Select(i => i % 10), data.Train.Labels);
        Assert.Contains("600 training digits shuffled with numpy's RandomState(42).permutation, the first 500 held out, 100 trained on", data.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_keeps_the_test_set_and_trains_on_the_first_digits_after_it()
    {
        NotebookData<double> data = NotebookData<double>.Split(Numbered(600), 42, 30, "numbered", 25);
        int[] order = new NumpyRandom(42).Permutation(600);

        Assert.Equal(500, data.Test.Count);
        Assert.Equal(order[500..530], Enumerable.Range(0, 30).Select(i => (int)data.Train.Features[i, 0]));
        Assert.Equal(30, data.TrainStandardized.Rows);
    }

    [Fact]
    public void Standardised_test_digits_use_their_own_mean_and_deviation_as_sklearn_scale_did_and_the_fitted_ones_the_training_sets()
    {
        NotebookData<double> data = NotebookData<double>.Split(Numbered(600), 42, 0, "numbered", 25);

        for (int column = 0; column < 4; column++)
        {
            double[] test = Column(data.Test.Features, column);
            double[] train = Column(data.Train.Features, column);
            (double testMean, double testDeviation) = MeanAndPopulationDeviation(test);
            (double trainMean, double trainDeviation) = MeanAndPopulationDeviation(train);
            for (int i = 0; i < test.Length; i++)
            {
                // sklearn divides a constant column by 1 after centring it, which leaves 0.
                Assert.Equal(testDeviation == 0 ? 0 : (test[i] - testMean) / testDeviation, data.TestStandardized[i, column], 1e-12);
                Assert.Equal(trainDeviation == 0 ? 0 : (test[i] - trainMean) / trainDeviation, data.TestStandardizedFitted[i, column], 1e-12);
            }

            for (int i = 0; i < train.Length; i++)
            {
                Assert.Equal(trainDeviation == 0 ? 0 : (train[i] - trainMean) / trainDeviation, data.TrainStandardized[i, column], 1e-12);
            }
        }

        // The two ways differ: that is the quirk the replay shows.
        Assert.NotEqual(data.TestStandardized[0, 0], data.TestStandardizedFitted[0, 0]);
        (Matrix<double> raw, _, Matrix<double>? none) = data.Features(NotebookInput.Raw);
        Assert.Same(data.Train.Features, raw);
        Assert.Null(none);
        (Matrix<double> standardized, Matrix<double> quirk, Matrix<double>? fitted) = data.Features(NotebookInput.Standardized);
        Assert.Equal((data.TrainStandardized, data.TestStandardized, data.TestStandardizedFitted), (standardized, quirk, fitted));
    }

    [Fact]
    public void Too_few_digits_for_the_hold_out_and_the_minibatches_are_refused()
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => NotebookData<double>.Split(Numbered(524), 42, 0, "the file", 25));

        Assert.Contains("the file holds 524 training digits; the notebook's split needs at least 525", e.Message, StringComparison.Ordinal);
    }

    private static double[] Column(Matrix<double> matrix, int column) => [.. Enumerable.Range(0, matrix.Rows).Select(i => matrix[i, column])];

    private static (double Mean, double Deviation) MeanAndPopulationDeviation(double[] values)
    {
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
    }
}
