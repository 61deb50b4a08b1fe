namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// The protobuf wire types: the low three bits of a field's tag say how its value is encoded.
/// Groups (3 and 4) are deprecated and never used by ONNX; the reader rejects them.
/// </summary>
internal enum ProtoWireType
{
    /// <summary>A base-128 varint: int32, int64, uint64, bool, enum.</summary>
    Varint = 0,

    /// <summary>Eight little-endian bytes: double, fixed64.</summary>
    Fixed64 = 1,

    /// <summary>A varint length followed by that many bytes: string, bytes, embedded message, packed repeated scalars.</summary>
    LengthDelimited = 2,

    /// <summary>The start of a group (deprecated).</summary>
    StartGroup = 3,

    /// <summary>The end of a group (deprecated).</summary>
    EndGroup = 4,

    /// <summary>Four little-endian bytes: float, fixed32.</summary>
    Fixed32 = 5,
}
