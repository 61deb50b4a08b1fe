using System.Text;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Random but valid ONNX messages from a seed, covering every field of the subset: all attribute types, tensors of
/// every supported type in raw_data and typed fields, unsupported types, external data, segments, symbolic and
/// unknown dimensions, nested graphs, non-ASCII names, NaN payloads, infinities and -0.
/// </summary>
internal sealed class RandomOnnx(int seed, int size)
{
    private static readonly string[] s_names = ["", "x", "fc.weight", "/0/Gemm_output_0", "é名前😀", "a b\tc", "batch"];
    private static readonly float[] s_specialFloats =
        [0f, -0f, 1f, -1.5f, float.NaN, BitConverter.Int32BitsToSingle(0x7FC12345), BitConverter.Int32BitsToSingle(unchecked((int)0xFF800001)),
         float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue, float.MinValue];

    private readonly Random _random = new(seed);
    private readonly int _size = Math.Clamp(size, 1, 12);

    public OnnxModel Model()
    {
        var model = new OnnxModel
        {
            IrVersion = Pick(0L, 3L, 7L, 8L, long.MaxValue),
            ProducerName = Name(),
            ProducerVersion = Name(),
            Domain = Name(),
            ModelVersion = Pick(0L, 1L, -1L, long.MinValue),
            DocString = Name(),
            Graph = _random.Next(8) == 0 ? null : Graph(depth: 0),
        };
        for (int i = _random.Next(3); i > 0; i--)
        {
            var opset = new OnnxOperatorSetId { Version = Pick(0L, 1L, 13L, 21L, -5L) };
            if (_random.Next(4) != 0)
            {
                opset.Domain = Pick("", "ai.onnx", "com.microsoft", "é");
            }

            model.OpsetImports.Add(opset);
        }

        return model;
    }

    public OnnxGraph Graph(int depth)
    {
        var graph = new OnnxGraph { Name = Name(), DocString = Name() };
        for (int i = _random.Next(_size); i > 0; i--)
        {
            graph.Nodes.Add(Node(depth));
        }

        for (int i = _random.Next(_size); i > 0; i--)
        {
            graph.Initializers.Add(Tensor());
        }

        for (int i = _random.Next(3); i > 0; i--)
        {
            graph.Inputs.Add(ValueInfo());
        }

        for (int i = _random.Next(3); i > 0; i--)
        {
            graph.Outputs.Add(ValueInfo());
        }

        for (int i = _random.Next(2); i > 0; i--)
        {
            graph.ValueInfo.Add(ValueInfo());
        }

        return graph;
    }

    public OnnxNode Node(int depth)
    {
        var node = new OnnxNode
        {
            Name = Name(),
            OpType = Pick("Gemm", "MatMul", "Add", "Relu", "Softmax", "", "Custom"),
            Domain = Pick("", "", "ai.onnx", "com.example"),
            DocString = Name(),
        };
        for (int i = _random.Next(4); i > 0; i--)
        {
            node.Inputs.Add(Name());
        }

        for (int i = _random.Next(3); i > 0; i--)
        {
            node.Outputs.Add(Name());
        }

        for (int i = _random.Next(4); i > 0; i--)
        {
            node.Attributes.Add(Attribute(depth));
        }

        return node;
    }

    public OnnxAttribute Attribute(int depth)
    {
        var attribute = new OnnxAttribute { Name = Name(), DocString = _random.Next(4) == 0 ? Name() : "" };
        int kind = _random.Next(depth < 2 ? 12 : 10);
        switch (kind)
        {
            case 0:
                attribute.Type = OnnxAttributeType.Float;
                attribute.F = Float();
                break;
            case 1:
                attribute.Type = OnnxAttributeType.Int;
                attribute.I = Pick(0L, 1L, -1L, long.MaxValue, long.MinValue, _random.NextInt64());
                break;
            case 2:
                attribute.Type = OnnxAttributeType.String;
                attribute.S = Bytes();
                break;
            case 3:
                attribute.Type = OnnxAttributeType.Tensor;
                attribute.T = Tensor();
                break;
            case 4:
                attribute.Type = OnnxAttributeType.Floats;
                for (int i = _random.Next(5); i > 0; i--)
                {
                    attribute.Floats.Add(Float());
                }

                break;
            case 5:
                attribute.Type = OnnxAttributeType.Ints;
                for (int i = _random.Next(5); i > 0; i--)
                {
                    attribute.Ints.Add(Pick(0L, -1L, 1L << 40, _random.NextInt64(), long.MinValue));
                }

                break;
            case 6:
                attribute.Type = OnnxAttributeType.Strings;
                for (int i = _random.Next(4); i > 0; i--)
                {
                    attribute.Strings.Add(Bytes());
                }

                break;
            case 7:
                attribute.Type = OnnxAttributeType.Tensors;
                for (int i = _random.Next(3); i > 0; i--)
                {
                    attribute.Tensors.Add(Tensor());
                }

                break;
            case 8:
                // An IR-version-1 style attribute: no type, one value field.
                attribute.I = _random.Next(100);
                break;
            case 9:
                attribute.Type = Pick(OnnxAttributeType.Int, OnnxAttributeType.Float);
                attribute.RefAttrName = "outer_" + Name();
                break;
            case 10:
                attribute.Type = OnnxAttributeType.Graph;
                attribute.G = Graph(depth + 1);
                break;
            default:
                attribute.Type = OnnxAttributeType.Graphs;
                for (int i = _random.Next(3); i > 0; i--)
                {
                    attribute.Graphs.Add(Graph(depth + 1));
                }

                break;
        }

        return attribute;
    }

    public OnnxTensor Tensor()
    {
        long[] dims = new long[_random.Next(4)];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = _random.Next(4);
        }

        int count = (int)dims.Aggregate(1L, (a, b) => a * b);
        string name = Name();
        bool raw = _random.Next(2) == 0;
        OnnxTensor tensor;
        switch (_random.Next(9))
        {
            case 0:
            case 1:
                tensor = OnnxTensor.Create(name, dims, Enumerable.Range(0, count).Select(_ => Float()).ToArray(), raw);
                break;
            case 2:
                tensor = OnnxTensor.Create(name, dims, Enumerable.Range(0, count).Select(_ => Double()).ToArray(), raw);
                break;
            case 3:
                tensor = OnnxTensor.Create(name, dims, Enumerable.Range(0, count).Select(_ => _random.NextInt64(long.MinValue, long.MaxValue)).ToArray(), raw);
                break;
            case 4:
                tensor = OnnxTensor.Create(name, dims, Enumerable.Range(0, count).Select(_ => _random.Next(int.MinValue, int.MaxValue)).ToArray(), raw);
                break;
            case 5:
                // Unsupported types keep whatever they hold.
                tensor = new OnnxTensor { Name = name, Dims = dims, DataType = Pick(OnnxDataType.UInt8, OnnxDataType.Bool, OnnxDataType.Float16, (OnnxDataType)99) };
                if (raw)
                {
                    tensor.RawData = Bytes();
                }
                else
                {
                    tensor.Int32Data = Enumerable.Range(0, _random.Next(5)).Select(_ => _random.Next(-3, 300)).ToArray();
                    tensor.UInt64Data = Enumerable.Range(0, _random.Next(3)).Select(_ => (ulong)_random.NextInt64()).ToArray();
                }

                break;
            case 6:
                tensor = new OnnxTensor { Name = name, Dims = dims, DataType = OnnxDataType.String };
                for (int i = 0; i < count; i++)
                {
                    tensor.StringData.Add(Bytes());
                }

                break;
            case 7:
                tensor = new OnnxTensor { Name = name, Dims = dims, DataType = OnnxDataType.Float, DataLocation = OnnxDataLocation.External };
                tensor.ExternalData.Add(new OnnxStringEntry { Key = "location", Value = "weights.bin" });
                tensor.ExternalData.Add(new OnnxStringEntry { Key = "offset", Value = "0" });
                break;
            default:
                tensor = new OnnxTensor
                {
                    Name = name,
                    Dims = dims,
                    DataType = OnnxDataType.Float,
                    Segment = new OnnxTensorSegment { Begin = _random.Next(3), End = _random.Next(3, 9) },
                    FloatData = [1f, 2f],
                };
                break;
        }

        tensor.DocString = _random.Next(5) == 0 ? Name() : "";
        return tensor;
    }

    public OnnxValueInfo ValueInfo()
    {
        var info = new OnnxValueInfo { Name = Name(), DocString = _random.Next(4) == 0 ? Name() : "" };
        switch (_random.Next(4))
        {
            case 0:
                break;
            case 1:
                info.Type = new OnnxType();
                break;
            default:
                var tensorType = new OnnxTensorType { ElementType = Pick(OnnxDataType.Float, OnnxDataType.Double, OnnxDataType.Undefined, OnnxDataType.Int64) };
                if (_random.Next(4) != 0)
                {
                    tensorType.Shape = new OnnxShape();
                    for (int i = _random.Next(4); i > 0; i--)
                    {
                        tensorType.Shape.Dims.Add(_random.Next(4) switch
                        {
                            0 => OnnxDimension.Symbolic(Pick("batch", "N", "", "é")),
                            1 => OnnxDimension.Unknown(),
                            _ => OnnxDimension.Fixed(Pick(0L, 1L, 4L, -1L, long.MaxValue)),
                        });
                    }
                }

                info.Type = new OnnxType { TensorType = tensorType };
                break;
        }

        return info;
    }

    private string Name() => _random.Next(3) == 0 ? s_names[_random.Next(s_names.Length)] + _random.Next(1000) : s_names[_random.Next(s_names.Length)];

    private byte[] Bytes()
    {
        if (_random.Next(2) == 0)
        {
            return Encoding.UTF8.GetBytes(Name());
        }

        var bytes = new byte[_random.Next(_random.Next(10) == 0 ? 300 : 12)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private float Float() => _random.Next(3) == 0
        ? s_specialFloats[_random.Next(s_specialFloats.Length)]
        : BitConverter.Int32BitsToSingle(_random.Next(int.MinValue, int.MaxValue));

    private double Double() => _random.Next(3) == 0
        ? Pick(0.0, -0.0, double.NaN, BitConverter.Int64BitsToDouble(0x7FF0000000000ABC), double.NegativeInfinity, double.Epsilon, double.MaxValue)
        : BitConverter.Int64BitsToDouble(_random.NextInt64(long.MinValue, long.MaxValue));

    private T Pick<T>(params T[] values) => values[_random.Next(values.Length)];
}
