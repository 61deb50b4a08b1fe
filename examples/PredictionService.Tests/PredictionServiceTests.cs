using System.Net;
using System.Net.Http.Json;
using Backprop.Simd.Models;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization;
using Microsoft.AspNetCore.Mvc.Testing;
using PredictionService;

namespace PredictionService.Tests;

/// <summary>The service started in-process and called over HTTP: many requests at once, each answered as the library predicts.</summary>
public sealed class PredictionServiceTests : IDisposable
{
    private const int Features = 20, Classes = 3;
    private readonly string _modelPath = Path.Combine(Path.GetTempPath(), $"prediction-service-{Guid.NewGuid():N}.bpm");
    private readonly Matrix<float> _samples;
    private readonly MlpClassifier<float> _model;

    public PredictionServiceTests()
    {
        // Three classes of points around three random centres.
        var random = new SeededRandom(5);
        var centres = new Matrix<float>(Classes, Features);
        centres.InitializeUniform(random, -1f, 1f);
        _samples = new Matrix<float>(300, Features);
        _samples.InitializeUniform(random, -0.5f, 0.5f);
        int[] labels = [.. Enumerable.Range(0, _samples.Rows).Select(i => i % Classes)];
        for (int i = 0; i < _samples.Rows; i++)
        {
            for (int j = 0; j < Features; j++)
            {
                _samples[i, j] += centres[labels[i], j];
            }
        }

        _model = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [16], Training = { Epochs = 5, BatchSize = 30 } });
        _model.Fit(_samples, labels);
        ModelFile.Save(_modelPath, new SavedModel<float>(_model.Network));
    }

    public void Dispose() => File.Delete(_modelPath);

    [Fact]
    public async Task Many_concurrent_requests_get_the_library_s_own_predictions()
    {
        using WebApplicationFactory<Program> service = WithModel(_modelPath);
        using HttpClient client = service.CreateClient();

        ModelInfo? info = await client.GetFromJsonAsync<ModelInfo>("/model");
        Assert.Equal(new ModelInfo(Features, Classes), info);

        // 300 requests from the thread pool at once, each a different sample.
        Prediction?[] answers = await Task.WhenAll(Enumerable.Range(0, _samples.Rows).Select(i => Task.Run(async () =>
        {
            using HttpResponseMessage response = await client.PostAsJsonAsync("/predict", new PredictionRequest(_samples.Row(i).ToArray()));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<Prediction>();
        })));

        var expected = new float[Classes];
        for (int i = 0; i < _samples.Rows; i++)
        {
            _model.PredictProba(_samples.Row(i), expected);
            Prediction answer = Assert.IsType<Prediction>(answers[i]);
            Assert.Equal(expected, answer.Probabilities);
            Assert.Equal(_model.Predict(_samples.Row(i)), answer.Class);
        }

        Assert.True(answers.Select(a => a!.Class).Distinct().Count() == Classes, "every class is predicted for some sample");
    }

    [Fact]
    public async Task A_sample_of_the_wrong_size_is_a_bad_request_that_says_what_is_wrong()
    {
        using WebApplicationFactory<Program> service = WithModel(_modelPath);
        using HttpClient client = service.CreateClient();

        using HttpResponseMessage response = await client.PostAsJsonAsync("/predict", new PredictionRequest([1f, 2f]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        ProblemMessage? problem = await response.Content.ReadFromJsonAsync<ProblemMessage>();
        Assert.Equal("'features' must hold 20 numbers; it holds 2.", problem?.Error);
    }

    [Fact]
    public async Task Without_a_model_file_it_serves_a_stand_in_for_28x28_digits()
    {
        using var service = new WebApplicationFactory<Program>();
        using HttpClient client = service.CreateClient();

        Assert.Equal(new ModelInfo(784, 10), await client.GetFromJsonAsync<ModelInfo>("/model"));
        using HttpResponseMessage response = await client.PostAsJsonAsync("/predict", new PredictionRequest(new float[784]));
        Prediction? answer = await response.Content.ReadFromJsonAsync<Prediction>();
        Assert.Equal(10, answer?.Probabilities.Length);
        Assert.Equal(1.0, answer!.Probabilities.Sum(p => (double)p), 1e-5);
    }

    private static WebApplicationFactory<Program> WithModel(string path) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder.UseSetting("Model:Path", path));
}
