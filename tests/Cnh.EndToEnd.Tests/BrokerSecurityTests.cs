using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Cnh.EndToEnd.Tests.Infrastructure;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Cnh.EndToEnd.Tests;

/// <summary>RabbitMQ as ./cnh infra leaves it: no guest, loopback only, and each service limited to its own events.</summary>
[Collection(PlatformCollection.Name)]
public class BrokerSecurityTests(Platform platform)
{
    static readonly int[] BrokerPorts = [5672, 15672, 25672, 4369];

    [Fact]
    public async Task When_someone_tries_the_brokers_default_guest_account_it_is_refused()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest"))
        );
        (await http.GetAsync("http://127.0.0.1:15672/api/whoami")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var admin = Sandbox.RabbitAdmin();
        (await admin.GetAsync("api/users/guest")).StatusCode.Should().Be(HttpStatusCode.NotFound, "./cnh infra deletes the guest user");
    }

    [Fact]
    public void When_the_broker_listens_it_listens_on_loopback_only()
    {
        var listening = Listeners().Where(l => BrokerPorts.Contains(l.Port)).ToList();
        listening.Select(l => l.Port).Distinct().Should().Contain([5672, 15672, 4369], "the broker runs");
        listening
            .Should()
            .OnlyContain(l => IPAddress.IsLoopback(l.Address), "AMQP, management, distribution and epmd stay on this machine");
    }

    [Fact]
    public async Task When_a_service_user_publishes_another_services_event_the_broker_refuses_it()
    {
        var sandbox = platform.Sandbox;
        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1",
            VirtualHost = sandbox.VirtualHost,
            UserName = sandbox.RabbitUser("scoring"),
            Password = sandbox.RabbitPassword("scoring"),
        };
        // A connection for each try: the broker closes a channel on a refusal, and reopening one on the same connection races it.
        foreach (
            var forged in new[]
            {
                "Cnh.Contracts:SubmissionAccepted",
                "Cnh.Contracts:SubmissionBatchAccepted",
                "Cnh.Contracts:IndicatorDefined",
                "submissions-indicator-scored",
            }
        )
        {
            await using var connection = await factory.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            var publish = async () =>
            {
                await channel.BasicPublishAsync(forged, "", true, new BasicProperties(), "{}"u8.ToArray());
                await channel.BasicQosAsync(0, 1, false); // a round trip: the refusal closes the channel before it answers
            };
            (await publish.Should().ThrowAsync<Exception>()).Which.Should().Match<Exception>(e => IsAccessRefused(e), forged);
        }

        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var declare = () => channel.QueueDeclareAsync("catalogue-intruder", durable: false, exclusive: false, autoDelete: true);
            (await declare.Should().ThrowAsync<OperationInterruptedException>()).Which.ShutdownReason!.ReplyCode.Should().Be(403);
        }
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            // Its own events it may publish.
            await channel.ExchangeDeclarePassiveAsync("Cnh.Contracts:IndicatorScored");
            await channel.BasicPublishAsync("Cnh.Contracts:IndicatorScored", "", false, new BasicProperties(), "{}"u8.ToArray());
            await channel.BasicQosAsync(0, 1, false);
        }
    }

    [Fact]
    public async Task When_cnh_infra_has_set_up_the_broker_each_service_user_has_its_own_limited_permissions()
    {
        using var admin = Sandbox.RabbitAdmin();
        foreach (var (service, expected) in RabbitPermissions.Read())
        {
            var response = await admin.GetAsync($"api/permissions/cnh/cnh-{service}");
            response.StatusCode.Should().Be(HttpStatusCode.OK, $"./cnh infra creates cnh-{service}");
            var actual = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            (actual.GetProperty("configure").GetString(), actual.GetProperty("write").GetString(), actual.GetProperty("read").GetString())
                .Should()
                .Be((expected.Configure, expected.Write, expected.Read));
            expected.Configure.Should().NotBe(".*");
        }
    }

    static bool IsAccessRefused(Exception e) =>
        e switch
        {
            OperationInterruptedException o => o.ShutdownReason?.ReplyCode == 403,
            _ => e.InnerException is { } inner && IsAccessRefused(inner),
        };

    /// <summary>Listening TCP sockets from /proc/net/tcp and tcp6.</summary>
    static IEnumerable<(IPAddress Address, int Port)> Listeners()
    {
        foreach (var (file, v6) in new[] { ("/proc/net/tcp", false), ("/proc/net/tcp6", true) })
        {
            if (!File.Exists(file))
                continue;
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[3] != "0A")
                    continue; // LISTEN
                var (hex, port) = (fields[1].Split(':')[0], int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber));
                var bytes = Convert.FromHexString(hex);
                // The kernel writes each 32-bit word in host (little-endian) order.
                for (var i = 0; i < bytes.Length; i += 4)
                    Array.Reverse(bytes, i, 4);
                yield return (new IPAddress(bytes), port);
            }
        }
    }
}
