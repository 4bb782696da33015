using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cnh.EndToEnd.Tests.Infrastructure;

public sealed record ReceivedSpan(
    string Service,
    string TraceId,
    string SpanId,
    string Name,
    IReadOnlyDictionary<string, string> Attributes
);

/// <summary>
/// A minimal OTLP/HTTP (protobuf) trace receiver on loopback: the services export to it, the tests read the spans.
/// Decodes just the fields it needs (service.name, trace and span ids, names, string attributes).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentQueue<ReceivedSpan> _spans = new();

    public string Endpoint { get; }
    public IReadOnlyCollection<ReceivedSpan> Spans => _spans.ToArray();
    public ConcurrentQueue<string> DecodeErrors { get; } = new();

    OtlpReceiver(WebApplication app, string endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public static async Task<OtlpReceiver> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, $"http://127.0.0.1:{port}");
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            try
            {
                foreach (var span in Decode(buffer.ToArray()))
                    receiver._spans.Enqueue(span);
            }
            catch (Exception ex) when (ex is InvalidDataException or IndexOutOfRangeException or ArgumentException)
            {
                receiver.DecodeErrors.Enqueue(ex.ToString());
                return Results.Problem(statusCode: 400, detail: ex.Message);
            }
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", () => Results.Bytes([], "application/x-protobuf"));
        app.MapPost("/v1/logs", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    static IEnumerable<ReceivedSpan> Decode(byte[] body)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in Fields(body, 1))
        {
            var service = "unknown";
            foreach (var resource in Fields(resourceSpans, 1))
                if (Attributes(resource, 1).TryGetValue("service.name", out var name))
                    service = name;
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    string traceId = "",
                        spanId = "",
                        spanName = "";
                    var reader = new ProtoReader(span);
                    while (reader.Next(out var field, out var wire))
                    {
                        if (field == 1 && wire == 2)
                            traceId = Convert.ToHexStringLower(reader.Bytes());
                        else if (field == 2 && wire == 2)
                            spanId = Convert.ToHexStringLower(reader.Bytes());
                        else if (field == 5 && wire == 2)
                            spanName = Encoding.UTF8.GetString(reader.Bytes());
                        else
                            reader.Skip(wire);
                    }
                    spans.Add(new ReceivedSpan(service, traceId, spanId, spanName, Attributes(span, 9)));
                }
            }
        }
        return spans;
    }

    static IEnumerable<byte[]> Fields(byte[] message, int wanted)
    {
        var reader = new ProtoReader(message);
        var found = new List<byte[]>();
        while (reader.Next(out var field, out var wire))
        {
            if (field == wanted && wire == 2)
                found.Add(reader.Bytes());
            else
                reader.Skip(wire);
        }
        return found;
    }

    /// <summary>KeyValue { key = 1; AnyValue value = 2 { string_value = 1; int_value = 3 } }.</summary>
    static Dictionary<string, string> Attributes(byte[] message, int field)
    {
        var result = new Dictionary<string, string>();
        foreach (var kv in Fields(message, field))
        {
            string? key = null,
                value = null;
            var reader = new ProtoReader(kv);
            while (reader.Next(out var f, out var wire))
            {
                if (f == 1 && wire == 2)
                    key = Encoding.UTF8.GetString(reader.Bytes());
                else if (f == 2 && wire == 2)
                {
                    var any = new ProtoReader(reader.Bytes());
                    while (any.Next(out var af, out var aw))
                    {
                        if (af == 1 && aw == 2)
                            value = Encoding.UTF8.GetString(any.Bytes());
                        else if (af == 3 && aw == 0)
                            value = ((long)any.Varint()).ToString();
                        else
                            any.Skip(aw);
                    }
                }
                else
                    reader.Skip(wire);
            }
            if (key is not null && value is not null)
                result[key] = value;
        }
        return result;
    }

    sealed class ProtoReader(byte[] data)
    {
        int _pos;

        public bool Next(out int field, out int wire)
        {
            field = wire = 0;
            if (_pos >= data.Length)
                return false;
            var tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[_pos++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                    return result;
            }
        }

        public byte[] Bytes()
        {
            var length = (int)Varint();
            var bytes = data.AsSpan(_pos, length).ToArray();
            _pos += length;
            return bytes;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _pos += 8;
                    break;
                case 2:
                    // Not "_pos += Varint()": that reads _pos before Varint() moves it past the length prefix.
                    var length = (int)Varint();
                    _pos += length;
                    break;
                case 5:
                    _pos += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wire}");
            }
        }
    }
}
