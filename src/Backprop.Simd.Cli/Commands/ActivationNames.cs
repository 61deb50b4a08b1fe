using Backprop.Simd.Networks;

namespace Backprop.Simd.Cli.Commands;

/// <summary>The activations as the command line spells them.</summary>
internal static class ActivationNames
{
    /// <summary>The names <c>--activation</c> accepts.</summary>
    public static readonly string[] Names = ["relu", "leaky-relu", "tanh", "sigmoid"];

    /// <summary>The activation of a name from <see cref="Names"/>.</summary>
    public static Activation Parse(string name) => name switch
    {
        "sigmoid" => Activation.Sigmoid,
        "tanh" => Activation.Tanh,
        "leaky-relu" => Activation.LeakyRelu,
        "relu" => Activation.Relu,
        _ => throw new ArgumentException($"--activation must be one of {string.Join(", ", Names)}, not '{name}'."),
    };

    /// <summary>The command-line name of an activation.</summary>
    public static string Name(Activation activation) => activation switch
    {
        Activation.Sigmoid => "sigmoid",
        Activation.Tanh => "tanh",
        Activation.LeakyRelu => "leaky-relu",
        Activation.Relu => "relu",
        _ => activation.ToString().ToLowerInvariant(),
    };
}
