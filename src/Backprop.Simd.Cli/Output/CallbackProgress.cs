namespace Backprop.Simd.Cli.Output;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls back on the reporting thread at once (unlike <see cref="Progress{T}"/>,
/// which posts to a synchronisation context), so an epoch's line is written before the next epoch starts.
/// </summary>
internal sealed class CallbackProgress<T>(Action<T> callback) : IProgress<T>
{
    public void Report(T value) => callback(value);
}
