using System.Net;
using System.Net.Sockets;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>An HTTP server on 127.0.0.1 and a free port that answers every request with a handler; nothing leaves the machine.</summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LocalHttpServer(Func<HttpListenerContext, CancellationToken, Task> handle)
    {
        (_listener, int port) = Start();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().WaitAsync(_stop.Token);
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
                {
                    return;
                }

                // Each request on its own task, so that a trickling answer does not hold up the next request.
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await handle(context, _stop.Token);
                        context.Response.Close();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
                    {
                        context.Response.Abort();
                    }
                });
            }
        });
    }

    /// <summary>http://127.0.0.1:PORT/.</summary>
    public Uri BaseAddress { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    /// <summary>A loopback port nothing listened on a moment ago (the caller may start a server on it, or count on it refusing).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static (HttpListener Listener, int Port) Start()
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }
}
