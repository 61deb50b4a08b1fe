namespace Backprop.Simd.Serialization.Onnx;

/// <summary>ONNX's <c>TensorProto.DataLocation</c>: where a tensor's values are stored.</summary>
internal enum OnnxDataLocation
{
    /// <summary>In the tensor itself (<c>raw_data</c> or a typed field).</summary>
    Default = 0,

    /// <summary>In a separate file named by <c>external_data</c> (not supported by this library).</summary>
    External = 1,
}
