// A minimal API that serves a Backprop.Simd classifier: POST /predict {"features": [...]} returns the class and its
// probabilities. Requests run on many threads at once; each prediction uses the span overloads, which allocate
// nothing and are safe to call concurrently on a trained model.
//   dotnet run -c Release --project examples/PredictionService -- --Model:Path digits.bpm
// Without Model:Path it trains a small stand-in model at start-up, so that it runs anywhere.
using Backprop.Simd.Models;
using PredictionService;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, PredictionJsonContext.Default));
builder.Services.AddSingleton(services => LoadModel(services.GetRequiredService<IConfiguration>()["Model:Path"]));

WebApplication app = builder.Build();

app.MapGet("/model", (MlpClassifier<float> model) => new ModelInfo(model.FeatureCount, model.ClassCount));
app.MapPost("/predict", (PredictionRequest request, MlpClassifier<float> model) =>
{
    if (request.Features is not { } features || features.Length != model.FeatureCount)
    {
        return Results.BadRequest(new ProblemMessage($"'features' must hold {model.FeatureCount} numbers; it holds {request.Features?.Length ?? 0}."));
    }

    var probabilities = new float[model.ClassCount];
    model.PredictProba(features, probabilities);
    int predicted = Array.IndexOf(probabilities, probabilities.Max());
    return Results.Ok(new Prediction(predicted, probabilities));
});

app.Run();

static MlpClassifier<float> LoadModel(string? path) =>
    path is null ? StandInModel.Train() : MlpClassifier<float>.Load(path);

/// <summary>The entry point, public so that the tests can start the service in-process.</summary>
public partial class Program;
