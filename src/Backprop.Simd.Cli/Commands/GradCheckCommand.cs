using System.CommandLine;
using System.Globalization;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Cli.Training;
using Backprop.Simd.Diagnostics;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Cli.Commands;

/// <summary>
/// <c>backprop gradcheck</c>: builds a random network in double and compares its backpropagated gradients with
/// finite differences (the library's <see cref="GradientCheck"/>), one row per parameter tensor and the input.
/// </summary>
internal sealed class GradCheckCommand
{
    /// <summary>Finite differences evaluate the loss four times per parameter: beyond this many the check would run for minutes.</summary>
    private const long MaxParameters = 20_000;

    private readonly Option<int> _inputs = OptionFactory.Integer("--inputs", "Input features.", 6, 1);
    private readonly Option<string> _layers = new("--layers") { Description = "Hidden layer widths, separated by commas, or none.", DefaultValueFactory = _ => "5,4", HelpName = "W1,W2,..." };
    private readonly Option<int> _outputs = OptionFactory.Integer("--outputs", "Outputs (classes).", 3, 1);
    private readonly Option<string> _activation = OptionFactory.Choice("--activation", "The hidden layers' activation.", "tanh", ActivationNames.Names);
    private readonly Option<string> _loss = OptionFactory.Choice("--loss", "softmax or sigmoid cross-entropy on logits, or mean squared error.", "softmax", "softmax", "sigmoid", "mse");
    private readonly Option<int> _batch = OptionFactory.Integer("--batch", "Samples in the batch.", 4, 1);
    private readonly Option<double> _l1 = OptionFactory.Number("--l1", "L1 penalty on the weights.", 0, 0);
    private readonly Option<double> _l2 = OptionFactory.Number("--l2", "L2 penalty on the weights.", 0, 0);
    private readonly Option<ulong> _seed = new("--seed") { Description = "Seed of the weights and the data.", DefaultValueFactory = _ => 1, HelpName = "N" };
    private readonly Option<double> _tolerance = OptionFactory.Number("--tolerance", "The largest relative error that passes.", 1e-6, 0, exclusiveMinimum: true);
    private readonly Option<bool> _json = OptionFactory.Json("one object per tensor (type \"tensor\", tensor, elements, skipped, max_relative_error, max_absolute_error, passed), then a summary object (type \"summary\", network, parameters, tolerance, max_relative_error, passed)");

    public Command Create(CliConsole console)
    {
        var command = new Command("gradcheck", "Check backpropagation against finite differences on a random network (double precision); exit code 1 if a tensor's relative error exceeds the tolerance.");
        foreach (Option option in (Option[])[_inputs, _layers, _outputs, _activation, _loss, _batch, _l1, _l2, _seed, _tolerance, _json])
        {
            command.Add(option);
        }

        command.SetAction(result => Run(console, result));
        return command.WithExamples(
            new("backprop gradcheck", "The default 6-5-4-3 tanh network with softmax cross-entropy."),
            new("backprop gradcheck --layers 8,8 --activation relu --loss mse --l2 0.1 --json", "Another network, loss and penalty, as JSON."));
    }

    private int Run(CliConsole console, ParseResult result)
    {
        int inputs = result.GetValue(_inputs), outputs = result.GetValue(_outputs), batch = result.GetValue(_batch);
        ulong seed = result.GetValue(_seed);
        string lossName = result.GetValue(_loss)!;
        Activation activation = ActivationNames.Parse(result.GetValue(_activation)!);
        NetworkBuilder<double> builder = Network<double>.Create(inputs, seed);
        int[] widths = LayerList.Parse(result.GetValue(_layers)!);
        int[] shape = [inputs, .. widths, outputs];
        long parameters = Enumerable.Range(1, shape.Length - 1).Sum(i => ((long)shape[i - 1] * shape[i]) + shape[i]);
        if (parameters > MaxParameters || batch > 1000)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"gradcheck perturbs every parameter, four loss evaluations each: {parameters:N0} parameters and a batch of {batch} is more than the {MaxParameters:N0} parameters and 1,000 samples it checks."));
        }

        foreach (int width in widths)
        {
            builder.Dense(width, activation);
        }

        Network<double> network = builder.Dense(outputs).Build();
        Loss<double> loss = lossName switch
        {
            "sigmoid" => new SigmoidCrossEntropy<double>(),
            "mse" => new MeanSquaredError<double>(),
            _ => new SoftmaxCrossEntropy<double>(),
        };

        // Inputs uniform in (−1, 1); one-hot targets for the cross-entropies, uniform (0, 1) targets for the squared error.
        var random = new SeededRandom(seed + 1);
        var x = new Matrix<double>(batch, inputs);
        x.InitializeUniform(random, -1.0, 1.0);
        var y = new Matrix<double>(batch, outputs);
        if (lossName == "mse")
        {
            y.InitializeUniform(random, 0.0, 1.0);
        }
        else
        {
            for (int i = 0; i < batch; i++)
            {
                y[i, random.NextInt32(outputs)] = 1;
            }
        }

        GradientCheckReport report = GradientCheck.Check(network, loss, x, y, Reduction.Mean, result.GetValue(_l1), result.GetValue(_l2));
        double tolerance = result.GetValue(_tolerance);
        bool passed = report.MaxRelativeError <= tolerance;
        if (result.GetValue(_json))
        {
            foreach (TensorGradientError t in report.Tensors)
            {
                JsonLines.Write(console.Out, json =>
                {
                    json.WriteString("type", "tensor");
                    json.WriteString("tensor", t.Name);
                    json.WriteNumber("elements", t.Count);
                    json.WriteNumber("skipped", t.Skipped);
                    json.WriteNumberOrNull("max_relative_error", t.MaxRelativeError);
                    json.WriteNumberOrNull("max_absolute_error", t.MaxAbsoluteError);
                    json.WriteBoolean("passed", t.MaxRelativeError <= tolerance);
                });
            }

            JsonLines.Write(console.Out, json =>
            {
                json.WriteString("type", "summary");
                json.WriteString("network", string.Join('-', shape));
                json.WriteNumber("parameters", network.ParameterCount);
                json.WriteNumber("tolerance", tolerance);
                json.WriteNumberOrNull("max_relative_error", report.MaxRelativeError);
                json.WriteBoolean("passed", passed);
            });
        }
        else
        {
            string hidden = shape.Length > 2 ? $" ({activation.Name} hidden)" : " (no hidden layer)";
            console.Out.WriteLine($"gradient check in double: {string.Join('-', shape)}{hidden}, {loss.Name}, batch {batch}, {network.ParameterCount} parameters");
            var table = TextTable.Create("tensor", "elements", "skipped", "max relative error", "max absolute error", "result");
            foreach (TensorGradientError t in report.Tensors)
            {
                table.AddTextRow(t.Name, Count(t.Count), Count(t.Skipped), Scientific(t.MaxRelativeError), Scientific(t.MaxAbsoluteError), t.MaxRelativeError <= tolerance ? "pass" : "FAIL");
            }

            console.Spectre.Write(table);
            console.Out.WriteLine($"{(passed ? "passed" : "FAILED")}: largest relative error {Scientific(report.MaxRelativeError)}, tolerance {Scientific(tolerance)}");
        }

        return passed ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Scientific(double value) => value.ToString("0.00E+00", CultureInfo.InvariantCulture);
}
