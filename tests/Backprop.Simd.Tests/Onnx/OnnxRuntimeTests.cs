using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Models built and encoded by this library load and run in ONNX Runtime with the outputs computed by hand and by
/// <see cref="ReferenceEvaluator"/>, for several batch sizes through the one symbolic batch dimension.
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxRuntimeTests
{
    [Fact]
    public void Single_gemm_runs_with_hand_computed_outputs()
    {
        byte[] model = OnnxTestModels.SingleGemm().Encode();
        DumpForChecker("single_gemm", model);
        double[,] x = { { 1, 0, 0 }, { 0, 1, 0 }, { 1, 1, 1 }, { -2, 0.5, 4 } };
        // Y = 0.5 * X W^T + 2 B, W = [[1, 2, 3], [-1, 0.5, 0.25]], B = [0.5, -1]:
        double[] expected =
        [
            (0.5 * 1) + 1, (0.5 * -1) - 2,
            (0.5 * 2) + 1, (0.5 * 0.5) - 2,
            (0.5 * 6) + 1, (0.5 * -0.25) - 2,
            (0.5 * (-2 + 1 + 12)) + 1, (0.5 * (2 + 0.25 + 1)) - 2,
        ];
        (double[] y, long[] shape) = OrtRunner.Run(model, "X", "Y", x, asDouble: false);
        Assert.Equal([4L, 2L], shape);
        OnnxFixtureTests.AssertClose(expected, y, 1e-6);

        (double[] one, long[] oneShape) = OrtRunner.Run(model, "X", "Y", new double[,] { { 1, 1, 1 } }, asDouble: false);
        Assert.Equal([1L, 2L], oneShape);
        OnnxFixtureTests.AssertClose([4, -2.125], one, 1e-6);
    }

    [Fact]
    public void Matmul_add_relu_with_typed_weights_runs()
    {
        ModelProto model = OnnxTestModels.MatMulAddRelu();
        byte[] bytes = model.Encode();
        DumpForChecker("matmul_add_relu", bytes);
        double[,] x = OnnxTestModels.Inputs(5, 4, seed: 11);
        (double[] y, long[] shape) = OrtRunner.Run(bytes, "X", "Y", x, asDouble: false);
        Assert.Equal([5L, 3L], shape);
        OnnxFixtureTests.AssertClose(ReferenceEvaluator.Flatten(ReferenceEvaluator.Run(bytes, x)), y, 1e-5);
        Assert.Contains(y, v => v == 0);
    }

    [Theory]
    [InlineData(false, 1, 13)]
    [InlineData(false, 2, 17)]
    [InlineData(true, 3, 13)]
    [InlineData(true, 4, 17)]
    public void Every_operator_of_the_subset_runs(bool isDouble, int seed, long opset)
    {
        ProtoDataType type = isDouble ? ProtoDataType.Double : ProtoDataType.Float;
        ModelProto model = OnnxTestModels.FullMlp(type, seed, opset);
        byte[] bytes = model.Encode();
        DumpForChecker($"full_mlp_{type}_{seed}_{opset}", bytes);
        foreach (int batch in new[] { 1, 7 })
        {
            double[,] x = OnnxTestModels.Inputs(batch, 4, seed + batch);
            (double[] y, long[] shape) = OrtRunner.Run(bytes, "input", "output", x, asDouble: type == ProtoDataType.Double);
            Assert.Equal([batch, 4L], shape);
            OnnxFixtureTests.AssertClose(ReferenceEvaluator.Flatten(ReferenceEvaluator.Run(bytes, x)), y, type == ProtoDataType.Double ? 1e-12 : 1e-5);
        }
    }

    /// <summary>
    /// With BACKPROP_ONNX_DUMP set to a folder, writes the encoded model there so that onnx.checker can be run on it by
    /// hand (python3 -c "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)" FILE).
    /// </summary>
    internal static void DumpForChecker(string name, byte[] model)
    {
        string? folder = Environment.GetEnvironmentVariable("BACKPROP_ONNX_DUMP");
        if (!string.IsNullOrEmpty(folder))
        {
            File.WriteAllBytes(Path.Combine(folder, name + ".onnx"), model);
        }
    }
}
