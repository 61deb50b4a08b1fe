namespace Backprop.Simd.Optimizers;

/// <summary>Reads a built-in optimizer's named hyperparameters back, refusing any that are missing or unknown.</summary>
internal static class HyperparameterValues
{
    /// <summary>The values of <paramref name="names"/>, in their order.</summary>
    /// <exception cref="ArgumentException">A name is missing, or a value has a name not among them.</exception>
    public static double[] Read(IReadOnlyDictionary<string, double> values, string optimizer, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (string name in values.Keys)
        {
            if (Array.IndexOf(names, name) < 0)
            {
                throw new ArgumentException($"The optimizer '{optimizer}' has no hyperparameter '{name}'; it has {string.Join(", ", names)}.", nameof(values));
            }
        }

        var result = new double[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            result[i] = values.TryGetValue(names[i], out double value)
                ? value
                : throw new ArgumentException($"The optimizer '{optimizer}' needs the hyperparameter '{names[i]}'.", nameof(values));
        }

        return result;
    }
}
