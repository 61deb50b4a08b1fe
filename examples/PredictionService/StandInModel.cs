using Backprop.Simd.Models;
using Backprop.Simd.Numerics;

namespace PredictionService;

/// <summary>A model to serve when none is configured: 784 inputs (a 28x28 image) and 10 classes, trained for a moment on random data.</summary>
internal static class StandInModel
{
    public static MlpClassifier<float> Train()
    {
        const int Samples = 200, Features = 784, Classes = 10;
        var random = new SeededRandom(1);
        var features = new Matrix<float>(Samples, Features);
        features.InitializeUniform(random, 0f, 1f);
        int[] labels = [.. Enumerable.Range(0, Samples).Select(i => i % Classes)];
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [32], ClassCount = Classes, Training = { Epochs = 1 } });
        classifier.Fit(features, labels);
        return classifier;
    }
}
