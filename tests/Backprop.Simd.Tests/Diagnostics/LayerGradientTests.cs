using Backprop.Simd.Diagnostics;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Diagnostics;

/// <summary>Each layer alone through the public gradient-check API, and the API itself catching a wrong gradient.</summary>
[Trait("Category", "Gradients")]
public sealed class LayerGradientTests
{
    public static TheoryData<string> LayerNames() => ["dense", "sigmoid", "tanh", "relu", "leaky", "softmax", "dropout", "gelu", "silu"];

    private static Layer<double> Create(string name, SeededRandom random) => name switch
    {
        "dense" => new Dense<double>(5, 4, WeightInitialization.GlorotUniform, random),
        "sigmoid" => new Sigmoid<double>(5),
        "tanh" => new Tanh<double>(5),
        "relu" => new Relu<double>(5),
        "leaky" => new LeakyRelu<double>(5, 0.2),
        "softmax" => new Softmax<double>(5),
        "gelu" => new Gelu<double>(5),
        "silu" => new Silu<double>(5),
        _ => new Dropout<double>(5, 0.3, 9),
    };

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Every_layer_passes_the_gradient_check(string name)
    {
        var random = new SeededRandom(3);
        Layer<double> layer = Create(name, random);
        var inputs = new Matrix<double>(6, 5);
        inputs.InitializeUniform(random, -2.0, 2.0);
        GradientCheckReport report = GradientCheck.Check(layer, inputs);
        Assert.True(report.MaxRelativeError < 1e-7, report.ToString());
        Assert.Contains(report.Tensors, t => t.Name == "input");
        Assert.Equal(layer.Parameters.Count + 1, report.Tensors.Count);
    }

    /// <summary>A layer whose backward pass is subtly wrong (a derivative off by 1 %) must be caught.</summary>
    [Fact]
    public void A_wrong_backward_pass_is_reported()
    {
        var inputs = new Matrix<double>(3, 4);
        inputs.InitializeUniform(new SeededRandom(1), -1.0, 1.0);
        GradientCheckReport report = GradientCheck.Check(new SlightlyWrongSquare(4), inputs);
        Assert.True(report.MaxRelativeError > 1e-3, report.ToString());
    }

    /// <summary>y = x², with dx = 2.02 x dy instead of 2 x dy.</summary>
    private sealed class SlightlyWrongSquare(int size) : Layer<double>(size, size)
    {
        private double[] _output = [];
        private double[] _gradient = [];
        private int _rows;

        public override string Description => "WrongSquare";

        protected internal override ReadOnlyMatrixSpan<double> LastOutput => new(_output, _rows, OutputSize);

        public override ReadOnlyMatrixSpan<double> Forward(ReadOnlyMatrixSpan<double> input, LayerContext<double> context)
        {
            _rows = input.Rows;
            _output = new double[input.Rows * InputSize];
            for (int i = 0; i < _output.Length; i++)
            {
                double x = input[i / InputSize, i % InputSize];
                _output[i] = x * x;
            }

            return LastOutput;
        }

        public override ReadOnlyMatrixSpan<double> Backward(ReadOnlyMatrixSpan<double> input, ReadOnlyMatrixSpan<double> outputGradient, LayerContext<double> context)
        {
            _gradient = new double[input.Rows * InputSize];
            for (int i = 0; i < _gradient.Length; i++)
            {
                _gradient[i] = 2.02 * input[i / InputSize, i % InputSize] * outputGradient[i / InputSize, i % InputSize];
            }

            return new ReadOnlyMatrixSpan<double>(_gradient, input.Rows, InputSize);
        }

        protected internal override Layer<double> CreateReplica() => new SlightlyWrongSquare(InputSize);
    }
}
