using System.Text;
using System.Threading.Channels;
using Cnh.Portal.Api;

namespace Cnh.Portal;

/// <summary>
/// <c>GET /live</c>: server-sent events telling an open page that the data changed (<c>event: changed</c>, the data's
/// version); the page then fetches itself again and swaps its main content in place (wwwroot/portal.js). A comment line
/// every 15 s keeps proxies from closing an idle stream.
/// </summary>
public static class LiveUpdates
{
    public static void MapLiveUpdates(this WebApplication app)
    {
        app.MapGet("/live", async (HttpContext http, PortalData data, CancellationToken ct) =>
            {
                http.Response.ContentType = "text/event-stream";
                http.Response.Headers.CacheControl = "no-cache";
                // Tell the proxy not to buffer the stream.
                http.Response.Headers["X-Accel-Buffering"] = "no";
                var changes = Channel.CreateBounded<long>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
                void OnChanged(PortalSnapshot s) => changes.Writer.TryWrite(s.Version);
                data.Changed += OnChanged;
                try
                {
                    await WriteAsync(http, $"retry: 5000\nevent: hello\ndata: {data.Current.Version}\n\n", ct);
                    while (!ct.IsCancellationRequested)
                    {
                        using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        keepAlive.CancelAfter(TimeSpan.FromSeconds(15));
                        try
                        {
                            var version = await changes.Reader.ReadAsync(keepAlive.Token);
                            await WriteAsync(http, $"event: changed\ndata: {version}\n\n", ct);
                        }
                        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                        {
                            await WriteAsync(http, ": keep-alive\n\n", ct);
                        }
                    }
                }
                catch (OperationCanceledException) { }
                finally
                {
                    data.Changed -= OnChanged;
                }
            })
            .ExcludeFromDescription();
    }

    static async Task WriteAsync(HttpContext http, string text, CancellationToken ct)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
