using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// A deliberately plain interpreter, in double precision, of the 2-D MLP operator subset (Gemm, MatMul, Add, Sub, Mul, Div,
/// Max, Relu, Sigmoid, Tanh, LeakyRelu, Softmax, LogSoftmax, Flatten, Identity) over the graph the library reads from
/// a model: the oracle that hand-built models run in ONNX Runtime are compared with, and a check that the weights
/// read from fixtures reproduce the toolchain's outputs.
/// </summary>
internal static class ReferenceEvaluator
{
    /// <summary>Runs the model on <paramref name="input"/> (one row per sample) and returns the first output.</summary>
    public static double[,] Run(byte[] model, double[,] input)
    {
        OnnxGraph graph = OnnxModelReader.Read(model).Graph!;
        var values = new Dictionary<string, double[,]>(StringComparer.Ordinal);
        double[,] Value(string name) => values.TryGetValue(name, out double[,]? v) ? v : values[name] = ToMatrix(graph.GetInitializer(name)!);
        values[graph.Inputs.First(i => graph.IsRuntimeInput(i.Name)).Name] = input;
        foreach (OnnxNode node in graph.Nodes)
        {
            if (node.OpType == "Constant")
            {
                values[node.Outputs[0]] = ToMatrix(node.GetTensor("value")!);
                continue;
            }

            double[,] x = Value(node.Inputs[0]);
            values[node.Outputs[0]] = node.OpType switch
            {
                "Gemm" => Gemm(node, x, Value(node.Inputs[1]), node.Inputs.Count > 2 && node.Inputs[2].Length != 0 ? Value(node.Inputs[2]) : null),
                "MatMul" => Gemm(x, Value(node.Inputs[1]), false, false, 1, null, 0),
                "Add" => Broadcast(x, Value(node.Inputs[1]), (a, b) => a + b),
                "Sub" => Broadcast(x, Value(node.Inputs[1]), (a, b) => a - b),
                "Div" => Broadcast(x, Value(node.Inputs[1]), (a, b) => a / b),
                "Mul" => Broadcast(x, Value(node.Inputs[1]), (a, b) => a * b),
                "Max" => Broadcast(x, Value(node.Inputs[1]), Math.Max),
                "Relu" => Map(x, v => Math.Max(v, 0)),
                "Sigmoid" => Map(x, v => 1 / (1 + Math.Exp(-v))),
                "Tanh" => Map(x, Math.Tanh),
                "LeakyRelu" => Map(x, v => v >= 0 ? v : node.GetFloat("alpha", 0.01f) * v),
                "Softmax" => Softmax(x),
                "LogSoftmax" => LogSoftmax(x),
                "Flatten" or "Identity" => x,
                _ => throw new NotSupportedException(node.OpType),
            };
        }

        return values[graph.Outputs[0].Name];
    }

    /// <summary>Rows of a jagged array as a matrix.</summary>
    public static double[,] Matrix(double[][] rows)
    {
        var m = new double[rows.Length, rows.Length == 0 ? 0 : rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < rows[i].Length; j++)
            {
                m[i, j] = rows[i][j];
            }
        }

        return m;
    }

    /// <summary>A matrix (row-major) flattened.</summary>
    public static double[] Flatten(double[,] m) => m.Cast<double>().ToArray();

    private static double[,] ToMatrix(OnnxTensor tensor)
    {
        double[] data = tensor.Values ?? tensor.Integers?.Select(v => (double)v).ToArray() ?? throw new NotSupportedException(tensor.DataType.ToString());
        (int rows, int columns) = tensor.Dims.Length switch
        {
            0 => (1, 1),
            1 => (1, (int)tensor.Dims[0]),
            2 => ((int)tensor.Dims[0], (int)tensor.Dims[1]),
            _ => throw new NotSupportedException("rank > 2"),
        };
        var m = new double[rows, columns];
        for (int i = 0; i < data.Length; i++)
        {
            m[i / columns, i % columns] = data[i];
        }

        return m;
    }

    private static double[,] Gemm(OnnxNode node, double[,] a, double[,] b, double[,]? c) =>
        Gemm(a, b, node.GetBool("transA", false), node.GetBool("transB", false), node.GetFloat("alpha", 1f), c, node.GetFloat("beta", 1f));

    private static double[,] Gemm(double[,] a, double[,] b, bool transA, bool transB, double alpha, double[,]? c, double beta)
    {
        int m = transA ? a.GetLength(1) : a.GetLength(0);
        int k = transA ? a.GetLength(0) : a.GetLength(1);
        int n = transB ? b.GetLength(0) : b.GetLength(1);
        Assert.Equal(k, transB ? b.GetLength(1) : b.GetLength(0));
        var y = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (transA ? a[p, i] : a[i, p]) * (transB ? b[j, p] : b[p, j]);
                }

                y[i, j] = (alpha * sum) + (c is null ? 0 : beta * c[c.GetLength(0) == 1 ? 0 : i, c.GetLength(1) == 1 ? 0 : j]);
            }
        }

        return y;
    }

    /// <summary>x op y, element by element, with either operand broadcast along a dimension of 1.</summary>
    private static double[,] Broadcast(double[,] x, double[,] y, Func<double, double, double> op)
    {
        var r = new double[Math.Max(x.GetLength(0), y.GetLength(0)), Math.Max(x.GetLength(1), y.GetLength(1))];
        for (int i = 0; i < r.GetLength(0); i++)
        {
            for (int j = 0; j < r.GetLength(1); j++)
            {
                r[i, j] = op(x[x.GetLength(0) == 1 ? 0 : i, x.GetLength(1) == 1 ? 0 : j], y[y.GetLength(0) == 1 ? 0 : i, y.GetLength(1) == 1 ? 0 : j]);
            }
        }

        return r;
    }

    private static double[,] Map(double[,] x, Func<double, double> f)
    {
        var r = new double[x.GetLength(0), x.GetLength(1)];
        for (int i = 0; i < x.GetLength(0); i++)
        {
            for (int j = 0; j < x.GetLength(1); j++)
            {
                r[i, j] = f(x[i, j]);
            }
        }

        return r;
    }

    /// <summary>A log-softmax over each row: x - max - log Σ exp(x - max).</summary>
    public static double[,] LogSoftmax(double[,] x)
    {
        var r = new double[x.GetLength(0), x.GetLength(1)];
        for (int i = 0; i < x.GetLength(0); i++)
        {
            double max = Enumerable.Range(0, x.GetLength(1)).Max(j => x[i, j]);
            double log = Math.Log(Enumerable.Range(0, x.GetLength(1)).Sum(j => Math.Exp(x[i, j] - max)));
            for (int j = 0; j < x.GetLength(1); j++)
            {
                r[i, j] = x[i, j] - max - log;
            }
        }

        return r;
    }

    /// <summary>A softmax over each row.</summary>
    public static double[,] Softmax(double[,] x)
    {
        var r = new double[x.GetLength(0), x.GetLength(1)];
        for (int i = 0; i < x.GetLength(0); i++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < x.GetLength(1); j++)
            {
                max = Math.Max(max, x[i, j]);
            }

            double sum = 0;
            for (int j = 0; j < x.GetLength(1); j++)
            {
                sum += r[i, j] = Math.Exp(x[i, j] - max);
            }

            for (int j = 0; j < x.GetLength(1); j++)
            {
                r[i, j] /= sum;
            }
        }

        return r;
    }
}
