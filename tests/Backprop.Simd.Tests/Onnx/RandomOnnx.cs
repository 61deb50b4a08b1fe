using System.Text;
namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Random but valid ONNX messages from a seed, covering every field of ModelProto, GraphProto, NodeProto,
/// AttributeProto, TensorProto and ValueInfoProto: all attribute types, tensors of every type in raw_data and typed
/// fields, external data, segments, symbolic and unknown dimensions, nested graphs, non-ASCII names, NaN payloads,
/// infinities and -0. With <paramref name="readable"/>, only what the library reads without refusing it: no external
/// data or segments, and unique initializer and output names.
/// </summary>
internal sealed class RandomOnnx(int seed, int size, bool readable = false)
{
    private static readonly string[] s_names = ["", "x", "fc.weight", "/0/Gemm_output_0", "é名前😀", "a b\tc", "batch"];
    private static readonly float[] s_specialFloats =
        [0f, -0f, 1f, -1.5f, float.NaN, BitConverter.Int32BitsToSingle(0x7FC12345), BitConverter.Int32BitsToSingle(unchecked((int)0xFF800001)),
         float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue, float.MinValue];

    private readonly Random _random = new(seed);
    private int _unique;
    private readonly int _size = Math.Clamp(size, 1, 12);

    public ModelProto Model()
    {
        var model = new ModelProto
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
            // Absent, "" and "ai.onnx" all name the default domain, which a readable model imports once.
            string? domain = _random.Next(4) != 0 ? Pick("", "ai.onnx", "com.microsoft", "é") : null;
            bool again = readable && model.OpsetImports.Count > 0 && domain is null or "" or "ai.onnx";
            model.OpsetImports.Add((again ? "com.microsoft" : domain, Pick(0L, 1L, 13L, 21L, -5L)));
        }

        return model;
    }

    public GraphProto Graph(int depth)
    {
        var graph = new GraphProto { Name = Name(), DocString = Name() };
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

    public NodeProto Node(int depth)
    {
        var node = new NodeProto
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
            node.Outputs.Add(UniqueName());
        }

        for (int i = _random.Next(4); i > 0; i--)
        {
            node.Attributes.Add(Attribute(depth));
        }

        return node;
    }

    public AttributeProto Attribute(int depth)
    {
        var attribute = new AttributeProto { Name = Name(), DocString = _random.Next(4) == 0 ? Name() : "" };
        int kind = _random.Next(depth < 2 ? 12 : 10);
        switch (kind)
        {
            case 0:
                attribute.Type = ProtoAttributeType.Float;
                attribute.F = Float();
                break;
            case 1:
                attribute.Type = ProtoAttributeType.Int;
                attribute.I = Pick(0L, 1L, -1L, long.MaxValue, long.MinValue, _random.NextInt64());
                break;
            case 2:
                attribute.Type = ProtoAttributeType.String;
                attribute.S = Bytes();
                break;
            case 3:
                attribute.Type = ProtoAttributeType.Tensor;
                attribute.T = Tensor();
                break;
            case 4:
                attribute.Type = ProtoAttributeType.Floats;
                for (int i = _random.Next(5); i > 0; i--)
                {
                    attribute.Floats.Add(Float());
                }

                break;
            case 5:
                attribute.Type = ProtoAttributeType.Ints;
                for (int i = _random.Next(5); i > 0; i--)
                {
                    attribute.Ints.Add(Pick(0L, -1L, 1L << 40, _random.NextInt64(), long.MinValue));
                }

                break;
            case 6:
                attribute.Type = ProtoAttributeType.Strings;
                for (int i = _random.Next(4); i > 0; i--)
                {
                    attribute.Strings.Add(Bytes());
                }

                break;
            case 7:
                attribute.Type = ProtoAttributeType.Tensors;
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
                attribute.Type = Pick(ProtoAttributeType.Int, ProtoAttributeType.Float);
                attribute.RefAttrName = "outer_" + Name();
                break;
            case 10:
                attribute.Type = ProtoAttributeType.Graph;
                attribute.G = Graph(depth + 1);
                break;
            default:
                attribute.Type = ProtoAttributeType.Graphs;
                for (int i = _random.Next(3); i > 0; i--)
                {
                    attribute.Graphs.Add(Graph(depth + 1));
                }

                break;
        }

        return attribute;
    }

    public TensorProto Tensor()
    {
        long[] dims = new long[_random.Next(4)];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = _random.Next(4);
        }

        int count = (int)dims.Aggregate(1L, (a, b) => a * b);
        string name = UniqueName();
        bool raw = _random.Next(2) == 0;
        TensorProto tensor;
        switch (_random.Next(readable ? 7 : 9))
        {
            case 0:
            case 1:
                tensor = TensorProto.Create(name, dims, Enumerable.Range(0, count).Select(_ => Float()).ToArray(), raw);
                break;
            case 2:
                tensor = TensorProto.Create(name, dims, Enumerable.Range(0, count).Select(_ => Double()).ToArray(), raw);
                break;
            case 3:
                tensor = TensorProto.Create(name, dims, Enumerable.Range(0, count).Select(_ => _random.NextInt64(long.MinValue, long.MaxValue)).ToArray(), raw);
                break;
            case 4:
                tensor = TensorProto.Create(name, dims, Enumerable.Range(0, count).Select(_ => _random.Next(int.MinValue, int.MaxValue)).ToArray(), raw);
                break;
            case 5:
                // Unsupported types keep whatever they hold.
                tensor = new TensorProto { Name = name, Dims = dims, DataType = readable ? Pick(ProtoDataType.UInt8, ProtoDataType.Float16, (ProtoDataType)99) : Pick(ProtoDataType.UInt8, ProtoDataType.Bool, ProtoDataType.Float16, (ProtoDataType)99) };
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
                tensor = new TensorProto { Name = name, Dims = dims, DataType = ProtoDataType.String };
                for (int i = 0; i < count; i++)
                {
                    tensor.StringData.Add(Bytes());
                }

                break;
            case 7:
                tensor = new TensorProto { Name = name, Dims = dims, DataType = ProtoDataType.Float, DataLocation = 1 };
                tensor.ExternalData.Add(("location", "weights.bin"));
                tensor.ExternalData.Add(("offset", "0"));
                break;
            default:
                tensor = new TensorProto
                {
                    Name = name,
                    Dims = dims,
                    DataType = ProtoDataType.Float,
                    Segment = (_random.Next(3), _random.Next(3, 9)),
                    FloatData = [1f, 2f],
                };
                break;
        }

        tensor.DocString = _random.Next(5) == 0 ? Name() : "";
        return tensor;
    }

    public ValueInfoProto ValueInfo()
    {
        var info = new ValueInfoProto { Name = UniqueName(), DocString = _random.Next(4) == 0 ? Name() : "" };
        info.HasType = _random.Next(4) != 0;
        info.IsTensor = _random.Next(3) != 0;
        info.ElementType = Pick(ProtoDataType.Float, ProtoDataType.Double, ProtoDataType.Undefined, ProtoDataType.Int64);
        info.Shape = _random.Next(4) == 0 ? null : [.. Enumerable.Range(0, _random.Next(4)).Select(_ => _random.Next(4) switch
        {
            0 => ((long?)null, (string?)Pick("batch", "N", "", "é")),
            1 => ((long?)null, (string?)null),
            _ => ((long?)Pick(0L, 1L, 4L, -1L, long.MaxValue), (string?)null),
        })];
        return info;
    }

    /// <summary>A name; with readable, a unique one, as initializers, inputs and node outputs need.</summary>
    private string UniqueName() => readable ? $"{Name()}#{_unique++}" : Name();

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
