using Backprop.Simd.Layers;
using Backprop.Simd.Data;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Tests.Serialization;

/// <summary>The encoder writes exactly the documented layout, checked against files assembled field by field.</summary>
[Trait("Category", "Serialization")]
public sealed class ModelFileLayoutTests
{
    [Fact]
    public void A_small_float_model_is_laid_out_as_documented()
    {
        var network = new Network<float>([
            new Dense<float>(new Matrix<float>(2, 1, [0.5f, -1f]), [0.25f]),
            new Sigmoid<float>(1),
            new Dropout<float>(1, 0.5, seed: 0xDEADBEEF),
        ]);
        var model = new SavedModel<float>(network, new Standardizer<float>([1f, 2f], [3f, 0f]));
        model.Metadata["k"] = "vé";

        byte[] expected = RawModelFile.Start(version: 2, elementSize: 4)
            .Tag("ARCH").I32(2).I32(3)
            .U8(1).I32(2).I32(1)
            .U8(2).I32(1)
            .U8(7).I32(1).F64(0.5).U64(0xDEADBEEF)
            .Tag("PARM").I64(3).F32(0.5f, -1f, 0.25f)
            .Tag("NORM").I32(2).F32(1f, 2f, 3f, 0f)
            .Tag("META").I32(1).Text("k").Text("vé")
            .Build();

        Assert.Equal(expected, ModelTestData.Encode(model));
    }

    [Fact]
    public void A_double_model_with_every_activation_is_laid_out_as_documented()
    {
        Network<double> network = Network<double>.Create(1, seed: 4).Dense(1).Tanh().Relu().LeakyRelu(0.125).Softmax().Build();
        network.Parameters[0] = 2;
        network.Parameters[1] = -3;

        byte[] expected = RawModelFile.Start(version: 2, elementSize: 8)
            .Tag("ARCH").I32(1).I32(5)
            .U8(1).I32(1).I32(1)
            .U8(3).I32(1)
            .U8(4).I32(1)
            .U8(5).I32(1).F64(0.125)
            .U8(6).I32(1)
            .Tag("PARM").I64(2).F64(2, -3)
            .Tag("META").I32(0)
            .Build();

        Assert.Equal(expected, ModelTestData.Encode(new SavedModel<double>(network)));
    }
}
