using System.Net;
using System.Net.Sockets;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One loopback address in front of several gateways, as a cloud's TCP load balancer is: each new connection goes to the
/// next backend in turn, skipping one that refuses it; a connection whose backend dies is cut, as it would be.
/// </summary>
public sealed class TcpBalancer : IAsyncDisposable
{
    readonly TcpListener _listener;
    readonly IReadOnlyList<int> _backends;
    readonly CancellationTokenSource _stop = new();
    readonly Task _accepting;
    int _next;

    TcpBalancer(IReadOnlyList<int> backends)
    {
        _backends = backends;
        // Not port 0: the kernel could hand out the port of a backend that has not started listening yet.
        _listener = new TcpListener(IPAddress.Loopback, TestEnvironment.FreePort());
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static TcpBalancer Start(IReadOnlyList<int> backendPorts) => new(backendPorts);

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    async Task ForwardAsync(TcpClient client)
    {
        using (client)
        {
            var first = Interlocked.Increment(ref _next);
            for (var i = 0; i < _backends.Count; i++)
            {
                using var backend = new TcpClient();
                try
                {
                    await backend.ConnectAsync(IPAddress.Loopback, _backends[(first + i) % _backends.Count], _stop.Token);
                }
                catch (SocketException)
                {
                    continue;
                }
                client.NoDelay = backend.NoDelay = true;
                await using var fromClient = client.GetStream();
                await using var toBackend = backend.GetStream();
                // Either side closing or failing ends both: the client sees what a dead backend looks like.
                await Task.WhenAny(CopyAsync(fromClient, toBackend), CopyAsync(toBackend, fromClient));
                return;
            }
        }
    }

    async Task CopyAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}
