using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

// cnh-ops errors list              queues ending in _error, with their message counts
// cnh-ops errors replay QUEUE_error [--max N]
//                                  moves messages back to the queue they failed in (publish confirmed, then ack)
// Connection: CNH_RABBIT_HOST (127.0.0.1), CNH_RABBIT_VHOST (cnh), CNH_RABBIT_USER (cnh), CNH_RABBIT_PASSWORD.
if (args.Length < 2 || args[0] != "errors" || args[1] is not ("list" or "replay") || (args[1] == "replay" && args.Length < 3))
{
    Console.Error.WriteLine("usage: cnh-ops errors list | cnh-ops errors replay QUEUE_error [--max N]");
    return 2;
}

var host = Environment.GetEnvironmentVariable("CNH_RABBIT_HOST") ?? "127.0.0.1";
var vhost = Environment.GetEnvironmentVariable("CNH_RABBIT_VHOST") ?? "cnh";
var user = Environment.GetEnvironmentVariable("CNH_RABBIT_USER") ?? "cnh";
var password = Environment.GetEnvironmentVariable("CNH_RABBIT_PASSWORD")
    ?? throw new InvalidOperationException("CNH_RABBIT_PASSWORD is not set (./cnh errors sets it from the secrets file).");

if (args[1] == "list")
    return await ErrorQueues.ListAsync(host, vhost, user, password);
var max = args.Length >= 5 && args[3] == "--max" && int.TryParse(args[4], out var m) ? m : int.MaxValue;
return await ErrorQueues.ReplayAsync(host, vhost, user, password, args[2], max);

static class ErrorQueues
{
    public static async Task<int> ListAsync(string host, string vhost, string user, string password)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{host}:15672/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))
        );
        var queues = await http.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(vhost)}?columns=name,messages");
        var errors = queues.EnumerateArray().Where(q => q.GetProperty("name").GetString()!.EndsWith("_error")).ToList();
        Console.WriteLine($"{"queue".PadRight(60)} messages");
        foreach (var q in errors)
            Console.WriteLine(
                $"{q.GetProperty("name").GetString()!.PadRight(60)} {(q.TryGetProperty("messages", out var n) ? n.GetInt64() : 0)}"
            );
        if (errors.Count == 0)
            Console.WriteLine("(no error queues)");
        return 0;
    }

    /// <summary>
    /// MassTransit binds each queue to an exchange of the same name, so publishing there reaches that queue only. The
    /// original is acknowledged only after the broker confirmed the copy: a crash in between repeats a message (which
    /// the consumers' inbox absorbs), never loses one.
    /// </summary>
    public static async Task<int> ReplayAsync(string host, string vhost, string user, string password, string errorQueue, int max)
    {
        if (!errorQueue.EndsWith("_error"))
        {
            Console.Error.WriteLine("Name a queue ending in _error.");
            return 2;
        }
        var target = errorQueue[..^"_error".Length];
        var factory = new ConnectionFactory
        {
            HostName = host,
            VirtualHost = vhost,
            UserName = user,
            Password = password,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)
        );
        var replayed = 0;
        while (replayed < max)
        {
            var message = await channel.BasicGetAsync(errorQueue, autoAck: false);
            if (message is null)
                break;
            var properties = new BasicProperties(message.BasicProperties);
            if (properties.Headers is not null)
                foreach (var key in properties.Headers.Keys.Where(k => k.StartsWith("MT-Fault") || k == "MT-Reason").ToList())
                    properties.Headers.Remove(key);
            await channel.BasicPublishAsync(target, "", mandatory: true, properties, message.Body);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
            replayed++;
        }
        Console.WriteLine($"replayed {replayed} message(s) from {errorQueue} to {target}");
        return 0;
    }
}
