using System.Net.Sockets;
using Cnh.ServiceDefaults;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Cnh.Gateway.Edge;

/// <summary>
/// With several instances of a service, one that is down or restarting refuses connections until the health checks take
/// it out. A request refused that way never reached it — YARP reports <see cref="ForwarderError.Request"/> only before any
/// of the body was sent — so it goes once more to another instance instead of answering 502. Anything else (a timeout, a
/// connection cut mid-request) is not retried: the service may have acted on it.
/// </summary>
public static class RefusedConnectionRetry
{
    /// <summary>Before load balancing, so that the second attempt is balanced over the instances left.</summary>
    public static IReverseProxyApplicationBuilder UseRetryOnRefusedConnection(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(
            async (context, next) =>
            {
                var proxyFeature = context.GetReverseProxyFeature();
                var candidates = proxyFeature.AvailableDestinations;
                await next();
                if (
                    context.GetForwarderErrorFeature() is not { Error: ForwarderError.Request, Exception: var exception }
                    || context.Response.HasStarted
                    || !IsRefused(exception)
                    || proxyFeature.ProxiedDestination is not { } refused
                )
                    return;
                List<DestinationState> others = [.. candidates.Where(d => d != refused)];
                if (others.Count == 0)
                    return;
                proxyFeature.AvailableDestinations = others;
                context.Features.Set<IForwarderErrorFeature>(null);
                context.Response.StatusCode = StatusCodes.Status200OK;
                await next();
            }
        );
        return proxy;
    }

    static bool IsRefused(Exception? ex) => ex.CausedBy(e => e is SocketException { SocketErrorCode: SocketError.ConnectionRefused });
}
