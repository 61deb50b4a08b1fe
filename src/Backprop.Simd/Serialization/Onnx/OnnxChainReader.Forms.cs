using Backprop.Simd.Layers;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Activations that exporters write out of several operators, with the data feeding two of them: SiLU as
/// Mul(x, Sigmoid(x)) (torch's nn.SiLU), leaky ReLU as Max(x, Mul(x, alpha)) (what <see cref="OnnxExporter"/> writes for
/// double networks), and GELU as Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5) (torch's nn.GELU before opset 20).
/// Operands of Add, Mul and Max may come in either order. A form is a graph pattern, mapped to the layer kind of its
/// name, and recognised only where that kind exists.
/// </summary>
internal sealed partial class OnnxChainReader
{
    private const string Silu = "SiLU", LeakyRelu = "LeakyReLU", Gelu = "GELU";

    /// <summary>The operators that only a form uses (beyond those the chain or a kind reads alone), by the kind the form maps to.</summary>
    private static (string Kind, string[] Operators)[] FormOperators => [(LeakyRelu, ["Max"]), (Gelu, ["Erf"])];

    /// <summary>The data after the form that <paramref name="consumers"/> of <paramref name="x"/> begin, or <see langword="null"/> when they begin none.</summary>
    private string? ReadForm(string x, List<OnnxNode> consumers)
    {
        if (consumers.Count != 2)
        {
            return null;
        }

        foreach ((OnnxNode head, OnnxNode join) in (ReadOnlySpan<(OnnxNode, OnnxNode)>)[(consumers[0], consumers[1]), (consumers[1], consumers[0])])
        {
            if (head.Is("Sigmoid") && join.Is("Mul") && Joins(join, x, head) && LayerKind.Named(Silu) is { } silu)
            {
                Unary(head);
                return Form(silu, join, [head, join]);
            }

            if (head.Is("Mul") && join.Is("Max") && Joins(join, x, head) && Operand(head, x) is double alpha && LayerKind.Named(LeakyRelu) is { } leaky)
            {
                return Form(leaky, join, [head, join], ElementType == OnnxTensor.Float ? OnnxConstants.ShortestDecimal((float)alpha) : alpha);
            }

            if (head.Is("Div") && join.Is("Mul") && Operand(head, x) is double root && Math.Abs(root - Math.Sqrt(2)) < 1e-6
                && Next(head, "Erf") is OnnxNode erf && Next(erf, "Add") is OnnxNode add && Operand(add, erf.Outputs[0]) == 1
                && Joins(join, x, add) && Next(join, "Mul") is OnnxNode half && Operand(half, join.Outputs[0]) == 0.5 && LayerKind.Named(Gelu) is { } gelu)
            {
                Unary(erf);
                return Form(gelu, erf, [head, erf, add, join, half]);
            }
        }

        return null;
    }

    /// <summary>Reads the <paramref name="nodes"/> of a form as one layer of <paramref name="kind"/>, named by its characteristic <paramref name="node"/>, with the values of the kind's fields.</summary>
    private string Form(LayerKind kind, OnnxNode node, OnnxNode[] nodes, params double[] values)
    {
        CheckArity(nodes[^1], 2, 2);
        foreach (OnnxNode each in nodes)
        {
            Visit(each);
        }

        Layer(kind, node, values);
        return nodes[^1].Outputs[0];
    }

    /// <summary>Whether <paramref name="join"/> takes exactly <paramref name="x"/> and the one output of <paramref name="branch"/>, which feeds nothing else.</summary>
    private bool Joins(OnnxNode join, string x, OnnxNode branch) =>
        join.Inputs.Count == 2 && join.Outputs.Count == 1 && Next(branch, join.OpType) == join
        && ((join.Inputs[0] == x && join.Inputs[1] == branch.Outputs[0]) || (join.Inputs[1] == x && join.Inputs[0] == branch.Outputs[0]));

    /// <summary>The one consumer of <paramref name="node"/>'s one output, when it is a default-domain <paramref name="opType"/> without attributes.</summary>
    private OnnxNode? Next(OnnxNode node, string opType) =>
        node.Outputs.Count == 1 && _graph.GetConsumers(node.Outputs[0]) is [OnnxNode next] && next.Is(opType) && next.Attributes.Count == 0 ? next : null;

    /// <summary>The scalar constant that binary <paramref name="node"/> combines with <paramref name="data"/>, or <see langword="null"/>.</summary>
    private double? Operand(OnnxNode node, string data)
    {
        if (node.Inputs.Count != 2 || node.Attributes.Count != 0 || (node.Inputs[0] != data && node.Inputs[1] != data))
        {
            return null;
        }

        // Div's divisor is its second input; Add and Mul commute.
        int index = node.Inputs[0] == data ? 1 : node.OpType == "Div" ? -1 : 0;
        return index < 0 ? null : OnnxConstants.Scalar(GetConstantInput(node, index), node, ElementType);
    }
}
