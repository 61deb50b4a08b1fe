namespace Backprop.Simd.Cli.Tests;

public sealed class ErrorReportTests
{
    public static TheoryData<Exception> UserErrors() => new()
    {
        new InvalidDataException("bad file"),
        new FileNotFoundException("no file"),
        new DirectoryNotFoundException("no directory"),
        new ArgumentException("bad argument"),
        new ArgumentOutOfRangeException("x", "out of range"),
        new NotSupportedException("not supported"),
        new UnauthorizedAccessException("denied"),
    };

    [Theory]
    [MemberData(nameof(UserErrors))]
    public void User_errors_exit_with_2_and_print_their_message(Exception exception)
    {
        var (console, error) = Console();

        int code = ErrorReport.Report(console, exception, CancellationToken.None);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal($"backprop: {exception.Message.Split('\n')[0].Trim()}", error.ToString().TrimEnd());
    }

    [Fact]
    public void Unexpected_exceptions_exit_with_1_and_their_message_without_a_stack_trace()
    {
        var (console, error) = Console();
        Exception thrown;
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        int code = ErrorReport.Report(console, thrown, CancellationToken.None);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("backprop: error: boom", error.ToString().TrimEnd());
    }

    [Fact]
    public void Cancellation_by_the_user_exits_with_130()
    {
        var (console, error) = Console();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        int code = ErrorReport.Report(console, new OperationCanceledException(cancellation.Token), cancellation.Token);

        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Equal("backprop: cancelled.", error.ToString().TrimEnd());
    }

    [Fact]
    public void A_multi_line_message_becomes_one_line()
    {
        Assert.Equal(
            "The data set 'x' was not found. Looked in: /a (given): missing f; /b (cache): no such directory",
            ErrorReport.OneLine("The data set 'x' was not found. Looked in:\n  /a (given): missing f\n  /b (cache): no such directory\n"));
    }

    private static (CliConsole Console, StringWriter Error) Console()
    {
        var error = new StringWriter();
        return (new CliConsole(new StringWriter(), error, isTerminal: false), error);
    }
}
