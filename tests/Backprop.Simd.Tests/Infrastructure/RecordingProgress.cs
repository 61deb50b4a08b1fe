namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>Records progress reports synchronously (unlike <see cref="Progress{T}"/>, which posts to the thread pool), optionally acting on each.</summary>
internal sealed class RecordingProgress<T>(Action<T>? onReport = null) : IProgress<T>
{
    public List<T> Reports { get; } = [];

    public void Report(T value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
