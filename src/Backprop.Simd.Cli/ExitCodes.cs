namespace Backprop.Simd.Cli;

/// <summary>The exit codes of <c>backprop</c>; scripts rely on them.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Something unexpected failed, or a check (gradcheck) did not pass.</summary>
    public const int Failure = 1;

    /// <summary>A user error: bad arguments, a missing or malformed file, a model of another shape.</summary>
    public const int UsageError = 2;

    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
