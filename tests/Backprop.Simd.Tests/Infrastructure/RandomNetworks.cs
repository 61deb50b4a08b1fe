using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>The loss (and the final activation it expects) of a random test network.</summary>
public enum LossKind
{
    MeanSquaredError,
    SigmoidBinaryCrossEntropy,
    SoftmaxCrossEntropyOnLogits,
    SoftmaxLayerCrossEntropy,
    SigmoidCrossEntropyOnLogits,
}

/// <summary>A random architecture for property tests: hidden widths and activations, a loss, regularisation, batch.</summary>
public sealed record NetworkCase(int InputSize, int[] Widths, Activation[] Activations, LossKind Loss, double L1, double L2, Reduction Reduction, int Batch, bool Dropout, ulong Seed)
{
    public override string ToString() =>
        $"in {InputSize}, layers [{string.Join(", ", Widths.Zip(Activations, (w, a) => $"{w} {a}"))}], {Loss}, l1 {L1}, l2 {L2}, {Reduction}, batch {Batch}, dropout {Dropout}, seed {Seed}";
}

/// <summary>Builds the network, data and loss of a <see cref="NetworkCase"/> in float or double, with identical values.</summary>
internal static class RandomNetworks
{
    public static (Network<T> Network, Loss<T> Loss, Matrix<T> Inputs, Matrix<T> Targets) Build<T>(NetworkCase c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(c.Seed);
        var layers = new List<Layer<T>>();
        int size = c.InputSize;
        for (int i = 0; i < c.Widths.Length; i++)
        {
            // Uniform with variance 2 / fan-in, as initialisations do: activations stay O(1), away from saturation
            // where float and double legitimately part ways.
            var weights = new Matrix<T>(size, c.Widths[i]);
            T limit = T.CreateTruncating(Math.Sqrt(6.0 / size));
            weights.InitializeUniform(random, -limit, limit);
            var bias = new T[c.Widths[i]];
            random.FillUniform<T>(bias, T.CreateTruncating(-0.5), T.CreateTruncating(0.5));
            layers.Add(new Dense<T>(weights, bias));
            size = c.Widths[i];
            // A leaky ReLU with a slope steeper than the default, so that its negative side shows in the gradients.
            Layer<T>? activation = c.Activations[i] == Activation.LeakyRelu
                ? new LeakyRelu<T>(size, T.CreateTruncating(0.1))
                : c.Activations[i].CreateLayer<T>(size);
            if (activation is not null)
            {
                layers.Add(activation);
            }

            if (c.Dropout && i < c.Widths.Length - 1)
            {
                layers.Add(new Dropout<T>(size, 0.25, c.Seed));
            }
        }

        var inputs = new Matrix<T>(c.Batch, c.InputSize);
        inputs.InitializeUniform(random, T.CreateTruncating(-1.0), T.One);
        var targets = new Matrix<T>(c.Batch, size);
        Loss<T> loss;
        switch (c.Loss)
        {
            case LossKind.MeanSquaredError:
                targets.InitializeUniform(random, T.CreateTruncating(-1.0), T.One);
                loss = new MeanSquaredError<T>();
                break;
            case LossKind.SigmoidBinaryCrossEntropy:
            case LossKind.SigmoidCrossEntropyOnLogits:
                targets.InitializeUniform(random, T.Zero, T.One);
                loss = c.Loss == LossKind.SigmoidBinaryCrossEntropy ? new BinaryCrossEntropy<T>() : new SigmoidCrossEntropy<T>();
                break;
            default:
                // Soft labels (rows summing to 1) exercise the general gradient; one-hot is a special case.
                targets.InitializeUniform(random, T.Zero, T.One);
                for (int i = 0; i < c.Batch; i++)
                {
                    Span<T> row = targets.Row(i);
                    T sum = System.Numerics.Tensors.TensorPrimitives.Sum<T>(row);
                    System.Numerics.Tensors.TensorPrimitives.Divide(row, sum, row);
                }

                loss = new SoftmaxCrossEntropy<T>();
                break;
        }

        return (new Network<T>(layers), loss, inputs, targets);
    }
}
