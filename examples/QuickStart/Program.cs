// Backprop.Simd quick start: load digits, train a classifier, score it, save it, load it back and predict.
// Run: dotnet run -c Release                 MNIST, found on this machine or downloaded
//      dotnet run -c Release -- FOLDER       the mnist10k-*.gz digits of a folder (CI passes the repository's data/)
using Backprop.Simd.Data;
using Backprop.Simd.Metrics;
using Backprop.Simd.Models;
using Backprop.Simd.Training;

// MNIST's 60,000 training and 10,000 test digits: found in $BACKPROP_DATA, /usr/share/datasets/mnist or the cache,
// or downloaded into the cache, every file checked against its SHA-256.
(Dataset<float> train, Dataset<float> test) = args.Length == 0 ? await Mnist.LoadAsync<float>() : LoadFolder(args[0]);
Console.WriteLine($"{train.Count} training and {test.Count} test digits of {train.FeatureCount} pixels");

var classifier = new MlpClassifier<float>(new MlpClassifierOptions
{
    HiddenLayers = [128],   // ReLU hidden layers, a softmax output and Adam: the defaults
    Standardize = true,     // fitted on the training digits, saved with the model
    Training = { Epochs = 5, BatchSize = 64 },
});
var progress = new Progress<EpochMetrics>(m => Console.WriteLine($"epoch {m.Epoch}: loss {m.Loss:F4}"));
classifier.Fit(train.Features, train.Labels, progress);

ClassificationReport report = classifier.Evaluate(test.Features, test.Labels);
Console.WriteLine($"test accuracy {report.Accuracy:P1}, macro F1 {report.MacroAverage.F1:F3}");
Console.WriteLine(report);

// One file keeps the weights, options, standardiser and history; the backprop tool reads it too.
classifier.Save("digits.bpm");
MlpClassifier<float> loaded = MlpClassifier<float>.Load("digits.bpm");

// One sample at a time: no allocation, and safe from many threads at once.
Span<float> probabilities = stackalloc float[loaded.ClassCount];
loaded.PredictProba(test.Features.Row(0), probabilities);
int predicted = loaded.Predict(test.Features.Row(0));
Console.WriteLine($"test digit 0: label {test.Labels[0]}, predicted {predicted} with probability {probabilities[predicted]:P1}");

// A folder of the 10,000 digits in the repository's data/ format: the first 500 (after a seeded shuffle) to test.
static (Dataset<float> Train, Dataset<float> Test) LoadFolder(string folder)
{
    Dataset<float> digits = Dataset<float>.LoadIdx(
        Path.Combine(folder, "mnist10k-images-idx3-ubyte.gz"), Path.Combine(folder, "mnist10k-labels-idx1-ubyte.gz"), classCount: 10);
    digits.Shuffle(seed: 42);
    DatasetSplit<float> split = digits.Split(heldOutCount: 500);
    return (split.Remaining, split.HeldOut);
}
