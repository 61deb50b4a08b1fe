using System.Diagnostics;

namespace Backprop.Simd.Benchmarks;

/// <summary>
/// <c>--busy-cores N</c> of the quick entries: N threads spinning in another process (this program started again as
/// <c>spin --threads N</c>), so that figures under load come from one command. The child spins until it is disposed of
/// or until its standard input closes, which happens when this process dies, so it never outlives a run.
/// </summary>
internal sealed class BusyCores : IDisposable
{
    private readonly Process? _child;

    private BusyCores(Process? child)
    {
        _child = child;
    }

    /// <summary>Starts <paramref name="count"/> spinning threads in a child process and returns once they run; none for 0.</summary>
    public static BusyCores Start(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return new BusyCores(null);
        }

        string program = Environment.GetCommandLineArgs()[0];
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(program);
        }

        start.ArgumentList.Add("spin");
        start.ArgumentList.Add("--threads");
        start.ArgumentList.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Process child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the spinning process.");
        if (child.StandardOutput.ReadLine() != "spinning")
        {
            child.Kill();
            throw new InvalidOperationException("The spinning process did not start.");
        }

        return new BusyCores(child);
    }

    /// <summary>The child's entry point: spins on <c>--threads</c> threads until standard input closes.</summary>
    public static int Spin(string[] args)
    {
        int threads = CommandLine.Parse(args).GetInt("threads", 1);
        for (int t = 0; t < threads; t++)
        {
            new Thread(() =>
            {
                ulong x = 1;
                while (true)
                {
                    x = (x * 6364136223846793005UL) + 1442695040888963407UL;
                }
            })
            { IsBackground = true }.Start();
        }

        Console.WriteLine("spinning");
        Console.Out.Flush();
        Console.In.ReadToEnd();
        return 0;
    }

    public void Dispose()
    {
        if (_child is not null)
        {
            _child.Kill();
            _child.WaitForExit();
            _child.Dispose();
        }
    }
}
