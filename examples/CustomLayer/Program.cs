// A layer of your own on the layer contract (Layer<T>, LayerContext<T>, Parameter<T>, CreateReplica): FeatureScale,
// y = x ⊙ gain + shift. Its gradients are checked against finite differences in double, then a network with it
// trains on 2 shards, to the same bits on 1 thread or 2.
// Run: dotnet run -c Release --project examples/CustomLayer
using Backprop.Simd.Diagnostics;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Training;
using CustomLayer;

// 1. The gradient check, in double: the layer alone (gains and shifts moved off their start), then in a network.
(Matrix<double> checkInputs, Matrix<double> checkTargets) = Points<double>(16, seed: 1);
var layer = new FeatureScale<double>(4);
layer.Parameters[0].Value.InitializeUniform(new SeededRandom(2), 0.5, 1.5);
layer.Parameters[1].Value.InitializeUniform(new SeededRandom(3), -0.5, 0.5);
GradientCheckReport alone = GradientCheck.Check(layer, checkInputs);
GradientCheckReport inNetwork = GradientCheck.Check(Build<double>(), new SoftmaxCrossEntropy<double>(), checkInputs, checkTargets);
Console.WriteLine($"gradient check: the layer alone {alone.MaxRelativeError:E1}, in a network {inNetwork.MaxRelativeError:E1} (largest relative error)");

// 2. Training in float, each minibatch split into 2 shards that run in parallel; the weights do not depend on the threads.
(Matrix<float> inputs, Matrix<float> targets) = Points<float>(600, seed: 4);
(Network<float> network, Trainer<float> trainer) = Train(threads: 2);
(Network<float> oneThread, _) = Train(threads: 1);
(double loss, double accuracy) = trainer.Evaluate(inputs, targets);
bool sameBits = network.Parameters.SequenceEqual(oneThread.Parameters);
Console.WriteLine($"trained {trainer.EpochsCompleted} epochs on 2 shards: loss {loss:F4}, accuracy {accuracy:P1}; 1 and 2 threads give the same weights: {sameBits}");

bool passed = alone.MaxRelativeError < 1e-6 && inNetwork.MaxRelativeError < 1e-6 && accuracy > 0.9 && sameBits;
Console.WriteLine(passed ? "custom layer: ok" : "custom layer: FAILED");
return passed ? 0 : 1;

(Network<float>, Trainer<float>) Train(int threads)
{
    Network<float> net = Build<float>();
    var options = new TrainingOptions { Epochs = 30, BatchSize = 32, Shards = 2, MaxDegreeOfParallelism = threads };
    var training = new Trainer<float>(net, new SoftmaxCrossEntropy<float>(), new Adam<float>(0.01), options);
    training.Fit(inputs, targets);
    return (net, training);
}

// 4 inputs → 16 → FeatureScale → tanh → 3 classes (logits for the softmax cross-entropy).
static Network<T> Build<T>()
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
    Network<T>.Create(inputSize: 4, seed: 5).Dense(16).Add(new FeatureScale<T>(16)).Tanh().Dense(3).Build();

// Points in [−1, 1]^4; the class is the index of the largest of the first three coordinates.
static (Matrix<T> Inputs, Matrix<T> Targets) Points<T>(int count, ulong seed)
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    var inputs = new Matrix<T>(count, 4);
    inputs.InitializeUniform(new SeededRandom(seed), -T.One, T.One);
    var targets = new Matrix<T>(count, 3);
    for (int i = 0; i < count; i++)
    {
        ReadOnlySpan<T> x = inputs.Row(i)[..3];
        targets[i, x.IndexOf(T.Max(x[0], T.Max(x[1], x[2])))] = T.One;
    }

    return (inputs, targets);
}
