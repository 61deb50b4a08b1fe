using Backprop.Simd.Cli.Notebook;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Cli.Tests.Notebook;

/// <summary>
/// The replay starts from the notebook's own weights. Expected values printed by numpy 1.24.2 after
/// <c>r = np.random.RandomState(42)</c> with the notebook's draws, for example
/// <c>a = r.uniform(-1, 1, size=50*785).reshape(50, 785); b = r.uniform(-1, 1, size=10*51).reshape(10, 51)</c>
/// for the one-hidden-layer classifier (bias in column 0 of each row).
/// </summary>
public sealed class NotebookInitializationTests
{
    [Fact]
    public void One_hidden_layer_starts_from_the_notebooks_w1_and_w2()
    {
        Network<double> network = NotebookInitialization.Create<double>(784, [50], 10, new NumpyRandom(42));
        Parameters p = new(network);

        Assert.Equal(-0.250919762305275, p.Bias(0, 0)); // a[0, 0]
        Assert.Equal(0.9014286128198323, p.Weight(0, 0, 0)); // a[0, 1]: input 0 to unit 0
        Assert.Equal(-0.9765867785381919, p.Weight(0, 4, 3)); // a[3, 5]
        Assert.Equal(0.49206662885957764, p.Weight(0, 783, 49)); // a[49, 784]
        Assert.Equal(0.12950312725656477, p.Bias(1, 0)); // b[0, 0]
        Assert.Equal(-0.6347971363322693, p.Weight(1, 49, 9)); // b[9, 50]
        Assert.Equal(-0.27030501260774553, p.Weight(1, 6, 2)); // b[2, 7]
    }

    [Fact]
    public void Deep_network_reads_the_middle_matrices_with_biases_in_the_first_row()
    {
        // w0 (250, 785), w1 (251, 50), w2 (51, 10), w3 (10, 11), drawn in that order.
        Network<double> network = NotebookInitialization.Create<double>(784, [250, 50, 10], 10, new NumpyRandom(42));
        Parameters p = new(network);

        Assert.Equal(0.5979704406549338, p.Bias(0, 249)); // w0[249, 0]
        Assert.Equal(-0.04426529017372838, p.Weight(0, 99, 7)); // w0[7, 100]
        Assert.Equal(-0.43443432737655474, p.Bias(1, 3)); // w1[0, 3]
        Assert.Equal(-0.07722051719969936, p.Weight(1, 249, 49)); // w1[250, 49]
        Assert.Equal(0.9788610469719741, p.Weight(1, 4, 2)); // w1[5, 2]
        Assert.Equal(0.10991034593752214, p.Bias(2, 9)); // w2[0, 9]
        Assert.Equal(0.5702457587939505, p.Weight(2, 49, 0)); // w2[50, 0]
        Assert.Equal(-0.8648718351343758, p.Bias(3, 4)); // w3[4, 0]
        Assert.Equal(0.03468102377095783, p.Weight(3, 9, 9)); // w3[9, 10]
    }

    [Fact]
    public void The_hidden_layers_are_sigmoid_and_the_outputs_logits()
    {
        Network<double> network = NotebookInitialization.Create<double>(4, [3], 2, new NumpyRandom(1));
        double[] input = [0.5, -1, 2, 0.25];
        Parameters p = new(network);

        // One sample by hand: h = σ(x W0 + b0), logits = h W1 + b1.
        var hidden = new double[3];
        for (int j = 0; j < 3; j++)
        {
            double z = p.Bias(0, j);
            for (int i = 0; i < 4; i++)
            {
                z += input[i] * p.Weight(0, i, j);
            }

            hidden[j] = 1 / (1 + Math.Exp(-z));
        }

        var logits = new double[2];
        network.Predict(input, logits);
        for (int k = 0; k < 2; k++)
        {
            double z = p.Bias(1, k) + Enumerable.Range(0, 3).Sum(j => hidden[j] * p.Weight(1, j, k));
            Assert.Equal(z, logits[k], 12);
        }
    }

    /// <summary>The dense layers' parameters by layer number (0 = first dense layer), W [in x out] and b [out].</summary>
    private sealed class Parameters(Network<double> network)
    {
        private readonly ParameterRange[] _weights = [.. network.ParameterRanges.Where(r => r.IsWeight)];
        private readonly ParameterRange[] _biases = [.. network.ParameterRanges.Where(r => !r.IsWeight)];
        private readonly double[] _values = network.Parameters.ToArray();

        public double Weight(int layer, int input, int unit) => _values[_weights[layer].Offset + (input * _weights[layer].Columns) + unit];

        public double Bias(int layer, int unit) => _values[_biases[layer].Offset + unit];
    }
}
