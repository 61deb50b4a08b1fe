using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>
/// The notebook's networks with the notebook's starting weights: after <c>np.random.seed(seed)</c> each weight matrix,
/// first to last, is <c>np.random.uniform(-1.0, 1.0, size)</c> reshaped with its biases in the row or column numpy's
/// code gives them, so the replay starts from the very values the notebook started from.
/// </summary>
internal static class NotebookInitialization
{
    /// <summary>Builds the network: sigmoid hidden layers and one logit per class (the sigmoid cross-entropy loss applies the output sigmoid).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="features">The inputs per sample.</param>
    /// <param name="hidden">The hidden widths.</param>
    /// <param name="classes">The outputs.</param>
    /// <param name="random">numpy's generator, freshly seeded as the classifier's constructor seeds it.</param>
    /// <returns>The network.</returns>
    public static Network<T> Create<T>(int features, IReadOnlyList<int> hidden, int classes, NumpyRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NetworkBuilder<T> builder = Network<T>.Create(features);
        foreach (int width in hidden)
        {
            builder.Dense(width, Activation.Sigmoid, WeightInitialization.UniformUnit);
        }

        Network<T> network = builder.Dense(classes, Activation.Identity, WeightInitialization.UniformUnit).Build();
        Draw(network, random);
        return network;
    }

    /// <summary>
    /// Overwrites every dense layer's W [in x out] and b [out] with numpy's draws. The notebook's first and last
    /// matrices are [out x (1 + in)] with the bias first in each row; the deep network's matrices between them are
    /// [(1 + in) x out] with the biases in the first row.
    /// </summary>
    private static void Draw<T>(Network<T> network, NumpyRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ParameterRange[] weights = [.. network.ParameterRanges.Where(r => r.IsWeight)];
        Span<T> parameters = network.Parameters;
        for (int layer = 0; layer < weights.Length; layer++)
        {
            ParameterRange w = weights[layer];
            ParameterRange b = network.ParameterRanges.Single(r => r.Layer == w.Layer && !r.IsWeight);
            (int inputs, int units) = (w.Rows, w.Columns);
            var drawn = new double[(inputs + 1) * units];
            random.Uniform(-1.0, 1.0, drawn);
            bool unitsFirst = layer == 0 || layer == weights.Length - 1;
            for (int j = 0; j < units; j++)
            {
                parameters[b.Offset + j] = T.CreateChecked(unitsFirst ? drawn[j * (inputs + 1)] : drawn[j]);
                for (int i = 0; i < inputs; i++)
                {
                    double value = unitsFirst ? drawn[(j * (inputs + 1)) + 1 + i] : drawn[((1 + i) * units) + j];
                    parameters[w.Offset + (i * units) + j] = T.CreateChecked(value);
                }
            }
        }
    }
}
