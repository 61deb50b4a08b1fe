using System.Globalization;
using System.Text.Json;
using Backprop.Simd.Cli.Output;
using Spectre.Console;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>The error-spike study's results: one table row or one JSON object per variant.</summary>
internal static class SpikeReport
{
    /// <summary>The spikes, the largest sharpness × lr / 2 and the final test accuracy of each variant.</summary>
    public static void WriteTable(IAnsiConsole console, IReadOnlyList<SpikeResult> results)
    {
        var table = TextTable.Create("variant", "change", "epochs", "spikes", "bursts", "largest lr·λ/2", "last lr·λ/2", "final test", "seconds");
        foreach (SpikeResult result in results)
        {
            table.AddTextRow(
                result.Variant.Name,
                result.Variant.Change,
                Count(result.Errors.Length),
                Count(result.SpikeEpochs.Length),
                Count(result.BurstEpochs.Length),
                Format.Fixed(result.LargestRatio, 2),
                Format.Fixed(result.Sharpness.Count == 0 ? double.NaN : result.Sharpness[^1].Ratio, 2),
                Format.Percent(result.FinalTestAccuracy),
                Format.Fixed(result.Seconds, 1));
        }

        console.Write(table);
    }

    /// <summary>What the table's columns mean.</summary>
    /// <param name="output">The writer.</param>
    /// <param name="batchRows">The rows of the minibatch the sharpness is measured on.</param>
    public static void WriteLegend(TextWriter output, int batchRows)
    {
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"spikes: epochs whose error rises above {SpikeResult.SpikeFactor} times its lowest of the {SpikeResult.Window} epochs before (a spike of several epochs counts once); bursts: the same for the mean gradient norm and {SpikeResult.BurstFactor} times."));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"lr·λ/2: the learning rate times the largest Hessian eigenvalue of the objective on the first {batchRows:N0} training digits, halved; gradient descent on a quadratic of that curvature turns unstable above 1."));
    }

    /// <summary>
    /// What the figures say, and no more: each variant's bursts and how often its curvature stood at the threshold, and
    /// whether the smaller step bursts less (the step-size explanation) or not.
    /// </summary>
    /// <param name="output">The writer.</param>
    /// <param name="results">The variants, the published one first.</param>
    public static void WriteFindings(TextWriter output, IReadOnlyList<SpikeResult> results)
    {
        foreach (SpikeResult result in results)
        {
            (int atThreshold, int readings) = result.Unstable;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{result.Variant.Name}: {result.BurstEpochs.Length} gradient bursts; lr·λ/2 at or above 1 in {atThreshold} of {readings} readings after the start."));
        }

        SpikeResult published = results[0];
        if (results.FirstOrDefault(r => r.Variant.Recipe.LearningRate < published.Variant.Recipe.LearningRate) is { } smaller)
        {
            bool fewer = smaller.BurstEpochs.Length < published.BurstEpochs.Length && Share(smaller) < Share(published);
            output.WriteLine(fewer
                ? $"The smaller step ({smaller.Variant.Name}) bursts less and stands at the threshold less often: these figures fit an instability of the step against the curvature it trains into (lr·λ/2 reaching 1)."
                : $"The smaller step ({smaller.Variant.Name}) does not burst less or stand at the threshold less often: these figures do not point to the step size.");
        }
    }

    private static double Share(SpikeResult result) =>
        result.Unstable is (int atThreshold, int readings) && readings > 0 ? (double)atThreshold / readings : 0;

    /// <summary>
    /// One variant's object, on one line: <c>variant</c>, <c>change</c>, <c>learning_rate</c>, <c>reduction</c>,
    /// <c>l2</c>, <c>reshuffle</c>, <c>epochs</c>, <c>spikes</c>, <c>spike_epochs</c>, <c>gradient_bursts</c>,
    /// <c>burst_epochs</c>, <c>largest_sharpness_ratio</c>,
    /// <c>final_test_accuracy</c>, <c>seconds</c>, and per epoch <c>error</c>, <c>gradient_norm</c>,
    /// <c>largest_gradient_norm</c>, <c>test_accuracy</c>, and <c>sharpness</c> (objects with <c>epoch</c>,
    /// <c>eigenvalue</c>, <c>ratio</c>, <c>iterations</c>, <c>converged</c>). Series are on the published run's scale.
    /// </summary>
    public static void WriteJson(TextWriter output, SpikeResult result)
    {
        NotebookRecipe recipe = result.Variant.Recipe;
        JsonLines.Write(output, json =>
        {
            json.WriteString("variant", result.Variant.Name);
            json.WriteString("change", result.Variant.Change);
            json.WriteNumber("learning_rate", recipe.LearningRate);
            json.WriteString("reduction", recipe.Reduction.ToString().ToLowerInvariant());
            json.WriteNumber("l2", recipe.L2);
            json.WriteBoolean("reshuffle", recipe.Reshuffle);
            json.WriteNumber("epochs", result.Errors.Length);
            json.WriteNumber("spikes", result.SpikeEpochs.Length);
            WriteArray(json, "spike_epochs", [.. result.SpikeEpochs.Select(e => (double)e)]);
            json.WriteNumber("gradient_bursts", result.BurstEpochs.Length);
            WriteArray(json, "burst_epochs", [.. result.BurstEpochs.Select(e => (double)e)]);
            json.WriteNumberOrNull("largest_sharpness_ratio", result.LargestRatio);
            json.WriteNumberOrNull("final_test_accuracy", result.FinalTestAccuracy);
            json.WriteNumber("seconds", Math.Round(result.Seconds, 3));
            WriteArray(json, "error", result.Errors);
            WriteArray(json, "gradient_norm", result.GradientNorms);
            WriteArray(json, "largest_gradient_norm", result.LargestGradientNorms);
            WriteArray(json, "test_accuracy", result.TestAccuracies);
            json.WriteStartArray("sharpness");
            foreach (SharpnessPoint point in result.Sharpness)
            {
                json.WriteStartObject();
                json.WriteNumber("epoch", point.Epoch);
                json.WriteNumberOrNull("eigenvalue", point.Eigenvalue);
                json.WriteNumberOrNull("ratio", point.Ratio);
                json.WriteNumber("iterations", point.Iterations);
                json.WriteBoolean("converged", point.Converged);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (double value in values)
        {
            if (double.IsFinite(value))
            {
                json.WriteNumberValue(value);
            }
            else
            {
                json.WriteNullValue();
            }
        }

        json.WriteEndArray();
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
