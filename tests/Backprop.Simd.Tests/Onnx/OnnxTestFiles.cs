using System.Text.Json;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>The committed fixtures made by Fixtures/make_fixture.py with the real ONNX toolchain, and their expectations.</summary>
internal static class OnnxTestFiles
{
    private static readonly Lazy<string> s_fixtures = new(FindFixtures);

    /// <summary>The folder that holds the fixtures, found by walking up from the test binaries to Backprop.Simd.sln.</summary>
    public static string FixtureFolder => s_fixtures.Value;

    /// <summary>The path of fixture <paramref name="name"/> (without extension) and the parsed JSON next to it.</summary>
    public static (string OnnxPath, OnnxFixture Expected) Load(string name)
    {
        string onnxPath = Path.Combine(FixtureFolder, name + ".onnx");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixtureFolder, name + ".json")));
        JsonElement root = json.RootElement;
        var initializers = new Dictionary<string, (long[] Dims, double[] Values)>();
        foreach (JsonProperty property in root.GetProperty("initializers").EnumerateObject())
        {
            initializers[property.Name] = (
                property.Value.GetProperty("dims").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                property.Value.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        }

        return (onnxPath, new OnnxFixture(
            root.GetProperty("producer").GetString()!,
            root.GetProperty("ir_version").GetInt64(),
            root.GetProperty("opset").GetInt64(),
            root.GetProperty("input_name").GetString()!,
            root.GetProperty("output_name").GetString()!,
            root.GetProperty("op_types").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            initializers,
            Rows(root.GetProperty("inputs")),
            Rows(root.GetProperty("outputs"))));
    }

    private static double[][] Rows(JsonElement element) =>
        element.EnumerateArray().Select(row => row.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();

    private static string FindFixtures()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Backprop.Simd.sln")))
            {
                return Path.Combine(directory.FullName, "tests", "Backprop.Simd.Tests", "Onnx", "Fixtures");
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Backprop.Simd.sln.");
    }
}

/// <summary>What make_fixture.py recorded about one fixture.</summary>
internal sealed record OnnxFixture(
    string Producer,
    long IrVersion,
    long Opset,
    string InputName,
    string OutputName,
    string[] OpTypes,
    Dictionary<string, (long[] Dims, double[] Values)> Initializers,
    double[][] Inputs,
    double[][] Outputs);
