namespace Backprop.Simd.Data;

/// <summary>Progress of one download by <see cref="DatasetFetcher"/>.</summary>
/// <param name="FileName">The file being downloaded, for example "train-images-idx3-ubyte.gz".</param>
/// <param name="BytesReceived">The bytes received so far.</param>
/// <param name="TotalBytes">The length announced by the server, when it announced one.</param>
public readonly record struct DownloadProgress(string FileName, long BytesReceived, long? TotalBytes);
