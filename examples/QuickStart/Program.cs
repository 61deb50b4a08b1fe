// Backprop.Simd quick start: load digits, train a classifier, score it, save it, load it back and predict.
// Run: dotnet run -c Release --project examples/QuickStart -- data
using Backprop.Simd.Data;
using Backprop.Simd.Metrics;
using Backprop.Simd.Models;
using Backprop.Simd.Training;

Dataset<float> digits = LoadDigits(args.Length > 0 ? args[0] : "data");
digits.Shuffle(seed: 42);
DatasetSplit<float> split = digits.Split(heldOutCount: 500);
Dataset<float> test = split.HeldOut, train = split.Remaining;
Console.WriteLine($"{train.Count} training and {test.Count} test digits of {train.FeatureCount} pixels");

var classifier = new MlpClassifier<float>(new MlpClassifierOptions
{
    HiddenLayers = [128],   // ReLU hidden layers, a softmax output and Adam: the defaults
    Training = { Epochs = 5, BatchSize = 64 },
});
var progress = new Progress<EpochMetrics>(m => Console.WriteLine($"epoch {m.Epoch}: loss {m.Loss:F4}"));
classifier.Fit(train.Features, train.Labels, progress);

ClassificationReport report = classifier.Evaluate(test.Features, test.Labels);
Console.WriteLine($"test accuracy {report.Accuracy:P1}, macro F1 {report.MacroAverage.F1:F3}");
Console.WriteLine(report);

// The file keeps the options, the history and the metadata; backprop eval, predict and export read it too.
string path = Path.Combine(Path.GetTempPath(), "quickstart-digits.bpm");
classifier.Save(path);
MlpClassifier<float> loaded = MlpClassifier<float>.Load(path);
File.Delete(path);

// One sample at a time: no allocation, and safe from many threads at once.
Span<float> probabilities = stackalloc float[loaded.ClassCount];
loaded.PredictProba(test.Features.Row(0), probabilities);
int predicted = loaded.Predict(test.Features.Row(0));
Console.WriteLine($"test digit 0: label {test.Labels[0]}, predicted {predicted} with probability {probabilities[predicted]:P1}");

// Where the digits come from, in one place: the 10,000 MNIST digits of the repository's data folder (gzip IDX files).
static Dataset<float> LoadDigits(string directory) => Dataset<float>.LoadIdx(
    Path.Combine(directory, "mnist10k-images-idx3-ubyte.gz"),
    Path.Combine(directory, "mnist10k-labels-idx1-ubyte.gz"),
    classCount: 10);
