using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>Networks of every exportable layer kind, depth 1 to 4, with random weights and biases, and data for them.</summary>
internal static class OnnxTestNetworks
{
    /// <summary>The architectures: together they use every activation but GELU, dropout, and dense depths 1 to 4.</summary>
    public static readonly string[] Architectures = ["sigmoid", "relu", "tanh_dropout", "leaky_deep", "softmax", "silu"];

    /// <summary>gelu: 6 → 8 GELU → 3, exported in float only (ONNX Runtime has no double Erf or Gelu kernel).</summary>
    public static readonly string[] FloatOnlyArchitectures = ["gelu"];

    /// <summary>
    /// The architectures plus leaky_default: 3 → 6 leaky → 2 leaky at the default slope 0.01, which a double network
    /// holds more precisely than ONNX's float attribute can.
    /// </summary>
    public static readonly string[] RoundTripArchitectures = [.. Architectures, "leaky_default"];

    /// <summary>
    /// sigmoid: 5 → 4 sigmoid (depth 1). relu: 6 → 8 relu → 3 logits (depth 2). tanh_dropout: 7 → 9 tanh, dropout,
    /// → 6 tanh → 2 (depth 3). leaky_deep: 4 → 5 leaky (0.25) → 5 leaky (0.125) → 3 sigmoid → 4 (depth 4). softmax:
    /// 6 → 10 relu, dropout, → 4 softmax (depth 2). silu: 5 → 7 SiLU → 3. gelu: 6 → 8 GELU → 3. Biases are random too, not the initial zeros. The leaky slopes are
    /// floats exactly, since ONNX stores the slope as a float (a double slope such as 0.01 is rounded on export).
    /// </summary>
    public static Network<T> Build<T>(string architecture, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = architecture switch
        {
            "sigmoid" => Network<T>.Create(5, seed).Dense(4, Activation.Sigmoid).Build(),
            "relu" => Network<T>.Create(6, seed).Dense(8, Activation.Relu).Dense(3).Build(),
            "tanh_dropout" => Network<T>.Create(7, seed).Dense(9, Activation.Tanh).Dropout(0.3).Dense(6, Activation.Tanh).Dense(2).Build(),
            "leaky_deep" => Network<T>.Create(4, seed).Dense(5).LeakyRelu(0.25).Dense(5).LeakyRelu(0.125).Dense(3, Activation.Sigmoid).Dense(4).Build(),
            "softmax" => Network<T>.Create(6, seed).Dense(10, Activation.Relu).Dropout(0.5).Dense(4, Activation.Softmax).Build(),
            "silu" => Network<T>.Create(5, seed).Dense(7, Activation.Silu).Dense(3).Build(),
            "gelu" => Network<T>.Create(6, seed).Dense(8, Activation.Gelu).Dense(3).Build(),
            "leaky_default" => Network<T>.Create(3, seed).Dense(6, Activation.LeakyRelu).Dense(2, Activation.LeakyRelu).Build(),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, null),
        };
        var random = new SeededRandom(seed + 1000);
        foreach (ParameterRange range in network.ParameterRanges.Where(r => !r.IsWeight))
        {
            random.FillUniform(network.Parameters.Slice(range.Offset, range.Rows * range.Columns), T.CreateTruncating(-0.5), T.CreateTruncating(0.5));
        }

        return network;
    }

    /// <summary>A standardizer fitted on random data whose column 1 is constant (a standard deviation of 0).</summary>
    public static Standardizer<T> Normalization<T>(int features, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = new Matrix<T>(50, features);
        data.InitializeUniform(new SeededRandom(seed), T.CreateTruncating(-4.0), T.CreateTruncating(6.0));
        for (int i = 0; i < data.Rows; i++)
        {
            data[i, 1] = T.CreateTruncating(2.5);
        }

        return Standardizer<T>.Fit(data);
    }

    /// <summary>Uniform inputs in [-3, 3]; with a standardizer, column 1 varies though it was constant in training.</summary>
    public static Matrix<T> Inputs<T>(int rows, int features, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = new Matrix<T>(rows, features);
        x.InitializeUniform(new SeededRandom(seed), T.CreateTruncating(-3.0), T.CreateTruncating(3.0));
        return x;
    }

    /// <summary>What the library computes for raw inputs: standardise, predict, and with <paramref name="softmax"/> a row softmax on top (in double).</summary>
    public static double[,] Predict<T>(Network<T> network, Standardizer<T>? normalization, Matrix<T> inputs, bool softmax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[,] outputs = ToDoubles(network.Predict(normalization?.Transform(inputs) ?? inputs));
        return softmax ? ReferenceEvaluator.Softmax(outputs) : outputs;
    }

    /// <summary>A matrix as double[,], for ONNX Runtime.</summary>
    public static double[,] ToDoubles<T>(Matrix<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[m.Rows, m.Columns];
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Columns; j++)
            {
                result[i, j] = double.CreateTruncating(m[i, j]);
            }
        }

        return result;
    }
}
