using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>Deep, bitwise equality of decoded ONNX messages, with the path of the first difference in the message.</summary>
internal static class OnnxAssert
{
    public static void Equal(OnnxModel expected, OnnxModel actual)
    {
        Same(expected.IrVersion, actual.IrVersion, "model.ir_version");
        Same(expected.ProducerName, actual.ProducerName, "model.producer_name");
        Same(expected.ProducerVersion, actual.ProducerVersion, "model.producer_version");
        Same(expected.Domain, actual.Domain, "model.domain");
        Same(expected.ModelVersion, actual.ModelVersion, "model.model_version");
        Same(expected.DocString, actual.DocString, "model.doc_string");
        Same(expected.OpsetImports.Count, actual.OpsetImports.Count, "model.opset_import.Count");
        for (int i = 0; i < expected.OpsetImports.Count; i++)
        {
            Same(expected.OpsetImports[i].Domain, actual.OpsetImports[i].Domain, $"model.opset_import[{i}].domain");
            Same(expected.OpsetImports[i].HasDomain, actual.OpsetImports[i].HasDomain, $"model.opset_import[{i}].domain presence");
            Same(expected.OpsetImports[i].Version, actual.OpsetImports[i].Version, $"model.opset_import[{i}].version");
        }

        Graph(expected.Graph, actual.Graph, "model.graph");
    }

    public static void Graph(OnnxGraph? expected, OnnxGraph? actual, string path)
    {
        if (NullCheck(expected, actual, path) is not (OnnxGraph e, OnnxGraph a))
        {
            return;
        }

        Same(e.Name, a.Name, path + ".name");
        Same(e.DocString, a.DocString, path + ".doc_string");
        List(e.Nodes, a.Nodes, path + ".node", Node);
        List(e.Initializers, a.Initializers, path + ".initializer", Tensor);
        List(e.Inputs, a.Inputs, path + ".input", ValueInfo);
        List(e.Outputs, a.Outputs, path + ".output", ValueInfo);
        List(e.ValueInfo, a.ValueInfo, path + ".value_info", ValueInfo);
    }

    public static void Node(OnnxNode e, OnnxNode a, string path)
    {
        Assert.True(e.Inputs.SequenceEqual(a.Inputs), $"{path}.input differs");
        Assert.True(e.Outputs.SequenceEqual(a.Outputs), $"{path}.output differs");
        Same(e.Name, a.Name, path + ".name");
        Same(e.OpType, a.OpType, path + ".op_type");
        Same(e.Domain, a.Domain, path + ".domain");
        Same(e.DocString, a.DocString, path + ".doc_string");
        List(e.Attributes, a.Attributes, path + ".attribute", Attribute);
    }

    public static void Attribute(OnnxAttribute e, OnnxAttribute a, string path)
    {
        Same(e.Name, a.Name, path + ".name");
        Same(e.Type, a.Type, path + ".type");
        Same(e.RefAttrName, a.RefAttrName, path + ".ref_attr_name");
        Same(e.DocString, a.DocString, path + ".doc_string");
        Same(e.F is null, a.F is null, path + ".f presence");
        if (e.F is float f)
        {
            Same(BitConverter.SingleToInt32Bits(f), BitConverter.SingleToInt32Bits(a.F!.Value), path + ".f bits");
        }

        Same(e.I, a.I, path + ".i");
        Same(e.S is null, a.S is null, path + ".s presence");
        Assert.True((e.S ?? []).AsSpan().SequenceEqual(a.S ?? []), $"{path}.s differs");
        if (NullCheck(e.T, a.T, path + ".t") is (OnnxTensor et, OnnxTensor at))
        {
            Tensor(et, at, path + ".t");
        }

        Graph(e.G, a.G, path + ".g");
        Assert.True(e.Floats.Select(BitConverter.SingleToInt32Bits).SequenceEqual(a.Floats.Select(BitConverter.SingleToInt32Bits)), $"{path}.floats differ");
        Assert.True(e.Ints.SequenceEqual(a.Ints), $"{path}.ints differ");
        ByteStrings(e.Strings, a.Strings, path + ".strings");
        List(e.Tensors, a.Tensors, path + ".tensors", Tensor);
        List(e.Graphs, a.Graphs, path + ".graphs", (x, y, p) => Graph(x, y, p));
    }

    public static void Tensor(OnnxTensor e, OnnxTensor a, string path)
    {
        Same(e.Name, a.Name, path + ".name");
        Assert.True(e.Dims.SequenceEqual(a.Dims), $"{path}.dims differ");
        Same(e.DataType, a.DataType, path + ".data_type");
        Same(e.DocString, a.DocString, path + ".doc_string");
        Same(e.DataLocation, a.DataLocation, path + ".data_location");
        Same(e.Segment is null, a.Segment is null, path + ".segment presence");
        if (e.Segment is not null)
        {
            Same(e.Segment.Begin, a.Segment!.Begin, path + ".segment.begin");
            Same(e.Segment.End, a.Segment.End, path + ".segment.end");
        }

        Same(e.RawData is null, a.RawData is null, path + ".raw_data presence");
        Assert.True((e.RawData ?? []).AsSpan().SequenceEqual(a.RawData ?? []), $"{path}.raw_data differs");
        Assert.True(e.FloatData.Select(BitConverter.SingleToInt32Bits).SequenceEqual(a.FloatData.Select(BitConverter.SingleToInt32Bits)), $"{path}.float_data differs");
        Assert.True(e.DoubleData.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(a.DoubleData.Select(BitConverter.DoubleToInt64Bits)), $"{path}.double_data differs");
        Assert.True(e.Int32Data.SequenceEqual(a.Int32Data), $"{path}.int32_data differs");
        Assert.True(e.Int64Data.SequenceEqual(a.Int64Data), $"{path}.int64_data differs");
        Assert.True(e.UInt64Data.SequenceEqual(a.UInt64Data), $"{path}.uint64_data differs");
        ByteStrings(e.StringData, a.StringData, path + ".string_data");
        List(e.ExternalData, a.ExternalData, path + ".external_data", (x, y, p) =>
        {
            Same(x.Key, y.Key, p + ".key");
            Same(x.Value, y.Value, p + ".value");
        });
    }

    public static void ValueInfo(OnnxValueInfo e, OnnxValueInfo a, string path)
    {
        Same(e.Name, a.Name, path + ".name");
        Same(e.DocString, a.DocString, path + ".doc_string");
        if (NullCheck(e.Type, a.Type, path + ".type") is not (OnnxType et, OnnxType at))
        {
            return;
        }

        if (NullCheck(et.TensorType, at.TensorType, path + ".type.tensor_type") is not (OnnxTensorType ett, OnnxTensorType att))
        {
            return;
        }

        Same(ett.ElementType, att.ElementType, path + ".type.tensor_type.elem_type");
        if (NullCheck(ett.Shape, att.Shape, path + ".type.tensor_type.shape") is (OnnxShape es, OnnxShape @as))
        {
            List(es.Dims, @as.Dims, path + ".shape.dim", (x, y, p) =>
            {
                Same(x.Value, y.Value, p + ".dim_value");
                Same(x.Param, y.Param, p + ".dim_param");
            });
        }
    }

    private static (T, T)? NullCheck<T>(T? expected, T? actual, string path)
        where T : class
    {
        Same(expected is null, actual is null, path + " presence");
        return expected is null ? null : (expected, actual!);
    }

    private static void List<T>(List<T> expected, List<T> actual, string path, Action<T, T, string> compare)
    {
        Same(expected.Count, actual.Count, path + ".Count");
        for (int i = 0; i < expected.Count; i++)
        {
            compare(expected[i], actual[i], $"{path}[{i}]");
        }
    }

    private static void ByteStrings(List<byte[]> expected, List<byte[]> actual, string path)
    {
        Same(expected.Count, actual.Count, path + ".Count");
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"{path}[{i}] differs");
        }
    }

    private static void Same<T>(T expected, T actual, string path)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            Assert.Fail($"{path}: expected {expected}, got {actual}");
        }
    }
}
