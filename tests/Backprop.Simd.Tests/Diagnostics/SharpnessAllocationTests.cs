using Backprop.Simd.Diagnostics;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Diagnostics;

/// <summary>A sharpness estimate allocates its vectors once per call: thirty iterations allocate what three do.</summary>
[Collection(AllocationCounting.Name)]
public sealed class SharpnessAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Iterations_allocate_nothing(int threads)
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(32, 8, 3, seed: 71);
        Network<double> network = Network<double>.Create(8, seed: 72).Dense(12, Activation.Tanh).Dense(3, Activation.Softmax).Build();
        var loss = new SoftmaxCrossEntropy<double>();
        var options = new TrainingOptions { L2 = 1e-3, MaxDegreeOfParallelism = threads };
        var few = new SharpnessOptions { MaxIterations = 3, Tolerance = 1e-15 };
        var many = new SharpnessOptions { MaxIterations = 30, Tolerance = 1e-15 };
        SharpnessEstimate Run(SharpnessOptions settings) => Sharpness.Estimate<double>(network, loss, data.Inputs, data.Targets, options, settings);
        Assert.Equal(3, Run(few).Iterations);
        Assert.Equal(30, Run(many).Iterations);

        var extra = new List<long>();
        for (int round = 0; round < 3; round++)
        {
            long start = Allocations.OnLibraryThreads();
            Run(few);
            long middle = Allocations.OnLibraryThreads();
            Run(many);
            extra.Add(Allocations.OnLibraryThreads() - middle - (middle - start));
            if (extra[^1] == 0)
            {
                return;
            }
        }

        Assert.Fail($"27 more iterations allocated {string.Join(", ", extra)} more bytes in 3 rounds, expected 0 in at least one.");
    }
}
