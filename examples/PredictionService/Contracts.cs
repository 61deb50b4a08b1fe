using System.Text.Json;
using System.Text.Json.Serialization;

namespace PredictionService;

/// <summary>The body of POST /predict.</summary>
/// <param name="Features">One sample's features, as many as the model takes.</param>
public sealed record PredictionRequest(float[]? Features);

/// <summary>The answer of POST /predict.</summary>
/// <param name="Class">The most probable class.</param>
/// <param name="Probabilities">The probability of each class.</param>
public sealed record Prediction(int Class, float[] Probabilities);

/// <summary>The answer of GET /model.</summary>
/// <param name="Features">The features a request must hold.</param>
/// <param name="Classes">The classes a prediction ranks.</param>
public sealed record ModelInfo(int Features, int Classes);

/// <summary>What a bad request gets back.</summary>
/// <param name="Error">What is wrong.</param>
public sealed record ProblemMessage(string Error);

/// <summary>JSON without reflection, so that the service trims and publishes with NativeAOT.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PredictionRequest))]
[JsonSerializable(typeof(Prediction))]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(ProblemMessage))]
internal sealed partial class PredictionJsonContext : JsonSerializerContext;
