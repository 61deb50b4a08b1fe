namespace Backprop.Simd.Serialization;

/// <summary>The META section: ordered string keys and values (class names, data set, loss...), UTF-8.</summary>
internal static class MetadataSection
{
    // The smallest entry: two i32 lengths of empty strings.
    private const int MinimumEntryLength = 8;

    public static void Write(ModelWriter writer, IDictionary<string, string> metadata)
    {
        writer.WriteUInt32(ModelFormat.Metadata);
        writer.WriteInt32(metadata.Count);
        foreach ((string key, string value) in metadata)
        {
            writer.WriteString(key, "metadata key");
            writer.WriteString(value ?? throw new ArgumentException($"The value of metadata key '{key}' is null."), $"value of metadata key '{key}'");
        }
    }

    /// <summary>Reads the section after its tag into <paramref name="metadata"/>, rejecting duplicate keys.</summary>
    public static void Read(ModelReader reader, IDictionary<string, string> metadata)
    {
        int count = reader.ReadCount("the metadata entry count", MinimumEntryLength);
        for (int i = 0; i < count; i++)
        {
            long offset = reader.Position;
            string key = reader.ReadString($"metadata key {i}");
            string value = reader.ReadString($"the value of metadata key {i}");
            if (!metadata.TryAdd(key, value))
            {
                throw reader.Fail(offset, $"metadata key {i} ('{key}') appears twice");
            }
        }
    }
}
