using System.Net;
using System.Net.Sockets;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An HTTP client whose requests come from another loopback address (127.0.0.0/8 is all this machine's): the
/// gateway's per-address limits then see another caller, as they would see an attacker's machine.
/// </summary>
public static class LoopbackClient
{
    public static HttpClient From(string address) =>
        new(
            new SocketsHttpHandler
            {
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                        await socket.ConnectAsync(context.DnsEndPoint, ct);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            }
        );
}
