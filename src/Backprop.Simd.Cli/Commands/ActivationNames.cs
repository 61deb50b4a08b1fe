using Backprop.Simd.Layers;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Cli.Commands;

/// <summary>The hidden activations the command line offers: every element-wise activation of <see cref="Activation.All"/>.</summary>
internal static class ActivationNames
{
    /// <summary>The names <c>--activation</c> accepts.</summary>
    public static readonly string[] Names = [.. Activation.All.Where(a => a.Kind is not null && a.IsElementWise).Select(a => a.Name)];

    /// <summary>The names of those after which <c>--init auto</c> starts He-initialised, for help: <c>relu and leaky-relu</c>.</summary>
    public static readonly string HeInitialized = Join(Names.Where(n => Activation.Parse(n).DefaultInitialization == WeightInitialization.HeNormal).ToArray());

    /// <summary>The activation of a name from <see cref="Names"/>.</summary>
    public static Activation Parse(string name) => Names.Contains(name)
        ? Activation.Parse(name)
        : throw new ArgumentException($"--activation must be one of {string.Join(", ", Names)}, not '{name}'.");

    private static string Join(string[] names) => names.Length < 2 ? string.Concat(names) : $"{string.Join(", ", names[..^1])} and {names[^1]}";
}
