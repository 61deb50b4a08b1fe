using System.Text.Json;

namespace Backprop.Simd.Cli.Tests;

/// <summary>
/// An ONNX model the real toolchain wrote (tests/Backprop.Simd.Tests/Onnx/Fixtures, made by make_fixture.py with
/// torch.onnx.export) and the inputs and outputs it recorded for it.
/// </summary>
/// <param name="Path">The .onnx file.</param>
/// <param name="Inputs">Sample inputs, one row each.</param>
/// <param name="Outputs">The outputs torch computed for them.</param>
internal sealed record OnnxFixture(string Path, double[][] Inputs, double[][] Outputs)
{
    /// <summary>Loads fixture <paramref name="name"/> (without extension), found by walking up from the test binaries to Backprop.Simd.sln.</summary>
    public static OnnxFixture Load(string name)
    {
        string folder = FindFolder();
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(folder, name + ".json")));
        return new OnnxFixture(System.IO.Path.Combine(folder, name + ".onnx"), Rows(json.RootElement.GetProperty("inputs")), Rows(json.RootElement.GetProperty("outputs")));
    }

    private static double[][] Rows(JsonElement element) =>
        [.. element.EnumerateArray().Select(row => row.EnumerateArray().Select(e => e.GetDouble()).ToArray())];

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Backprop.Simd.sln")))
            {
                return System.IO.Path.Combine(directory.FullName, "tests", "Backprop.Simd.Tests", "Onnx", "Fixtures");
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Backprop.Simd.sln.");
    }
}
