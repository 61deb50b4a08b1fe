using Backprop.Simd.Layers;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Tests.Layers;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// The sharded trainer's plan: computed once per batch shape; the parameter gradients go batch-wide by the same rule as
/// before the plan existed (more than 6 to 1 between the shards' gradient blocks and the rows of x and dy to copy),
/// never on one shard, and never when a layer with parameters cannot defer them.
/// </summary>
public sealed class ShardPlanTests
{
    [Theory]
    [InlineData(128, 1, false)]
    [InlineData(128, 2, false)]
    [InlineData(128, 4, true)]
    [InlineData(128, 16, true)]
    [InlineData(2_000, 16, false)]
    public void The_benchmark_mlp_defers_where_the_gradient_blocks_outweigh_the_rows(int rows, int shards, bool expected)
    {
        Network<float> network = Network<float>.Create(784, seed: 1).Dense(256, Activation.Relu).Dense(128, Activation.Relu).Dense(10).Build();
        Assert.Equal(expected, new ShardedStep<float>(network, shards).PlanFor(rows, threads: 2).BatchGradients);
    }

    [Fact]
    public void Deferral_follows_the_rule_of_the_dense_layers_for_random_shapes()
    {
        var random = new SeededRandom(3);
        for (int trial = 0; trial < 200; trial++)
        {
            int[] widths = [.. Enumerable.Range(0, 2 + random.NextInt32(3)).Select(_ => 1 + random.NextInt32(300))];
            int shards = 1 + random.NextInt32(8);
            int rows = 1 + random.NextInt32(400);
            NetworkBuilder<double> builder = Network<double>.Create(widths[0], seed: 1);
            foreach (int width in widths[1..])
            {
                builder.Dense(width, Activation.Tanh);
            }

            Network<double> network = builder.Build();
            ShardPlan plan = new ShardedStep<double>(network, shards).PlanFor(rows, threads: 1);

            // The rule as ShardedStep stated it for dense layers: S (in + 1) out against 6 rows (in + out), the first
            // layer's input being the minibatch itself.
            long parameters = 0, copied = 0;
            for (int i = 1; i < widths.Length; i++)
            {
                parameters += (long)(widths[i - 1] + 1) * widths[i];
                copied += (i == 1 ? 0 : widths[i - 1]) + widths[i];
            }

            int used = Math.Min(shards, rows);
            bool expected = used > 1 && used * parameters > 6L * rows * copied;
            Assert.True(expected == plan.BatchGradients, $"widths {string.Join('-', widths)}, {rows} rows, {shards} shards: expected {expected}");
            Assert.Equal((used, plan.BatchGradients ? 1 : used), (plan.Shards, plan.SeparateGradients));
        }
    }

    [Fact]
    public void A_layer_with_weights_that_cannot_defer_keeps_the_gradients_per_shard()
    {
        Network<double> With(Layer<double> middle)
        {
            var random = new SeededRandom(2);
            return new Network<double>([new Dense<double>(64, 64, WeightInitialization.GlorotUniform, random), middle, new Dense<double>(64, 4, WeightInitialization.GlorotUniform, random)]);
        }

        Assert.True(new ShardedStep<double>(With(new Tanh<double>(64)), 2).PlanFor(4, 1).BatchGradients, "the dense layers alone defer at 4 rows");
        Assert.True(new ShardedStep<double>(With(new CustomLayerTests.Scale(64, new SeededRandom(1), shareOnReplica: false, canDefer: true)), 2).PlanFor(4, 1).BatchGradients);
        ShardPlan plan = new ShardedStep<double>(With(new CustomLayerTests.Scale(64, new SeededRandom(1), shareOnReplica: false, canDefer: false)), 2).PlanFor(4, 1);
        Assert.False(plan.BatchGradients);
        Assert.Equal((ParameterGradientMode.Overwrite, 2), (plan.GradientMode, plan.SeparateGradients));
    }

    [Fact]
    public void A_plan_is_computed_once_per_shape_and_gives_a_single_shard_every_thread()
    {
        Network<float> network = Network<float>.Create(784, seed: 1).Dense(256, Activation.Relu).Dense(10).Build();
        var step = new ShardedStep<float>(network, 4);
        ShardPlan full = step.PlanFor(128, threads: 4);
        ShardPlan last = step.PlanFor(32, threads: 4);
        Assert.Same(full, step.PlanFor(128, threads: 4));
        Assert.Same(last, step.PlanFor(32, threads: 4));
        Assert.Equal((4, 1, 0, 32, 128), (full.Shards, full.ThreadsPerShard, full.FirstRow(0), full.FirstRow(1), full.FirstRow(4)));

        ShardPlan one = step.PlanFor(1, threads: 4);
        Assert.Equal((1, 4, ParameterGradientMode.Overwrite), (one.Shards, one.ThreadsPerShard, one.GradientMode));
    }
}
