using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Cnh.Testing;
using MassTransit;
using Npgsql;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A test run's own corner of the real servers: databases named cnh_e2e_{run}_{service} and a RabbitMQ virtual host,
/// removed again at the end. Nothing is shared with `./cnh up` or with another run.
/// </summary>
public sealed class Sandbox : IAsyncDisposable
{
    readonly HashSet<string> _services = new();
    readonly Dictionary<string, string> _rabbitPasswords = new();

    Sandbox(string runId, Broker broker) => (RunId, Broker) = (runId, broker);

    public string RunId { get; }

    /// <summary>The single broker of ./cnh infra, or the three-node cluster of ./cnh infra --cluster.</summary>
    public Broker Broker { get; }
    public string VirtualHost => $"cnh-e2e-{RunId}";
    public string WorkDirectory => Path.Combine(TestEnvironment.Root, ".cnh", "e2e", RunId);

    public static async Task<Sandbox> CreateAsync(Broker? broker = null)
    {
        var sandbox = new Sandbox(Guid.NewGuid().ToString("N")[..8], broker ?? Broker.Single);
        Directory.CreateDirectory(sandbox.WorkDirectory);
        using var rabbit = sandbox.Broker.Admin();
        (await rabbit.PutAsync($"api/vhosts/{sandbox.VirtualHost}", JsonContent.Create(new { }))).EnsureSuccessStatusCode();
        (
            await rabbit.PutAsync(
                $"api/permissions/{sandbox.VirtualHost}/cnh",
                JsonContent.Create(
                    new
                    {
                        configure = ".*",
                        write = ".*",
                        read = ".*",
                    }
                )
            )
        ).EnsureSuccessStatusCode();
        // Each service runs as a user of its own with the permissions ./cnh infra gives it.
        foreach (var (service, permissions) in RabbitPermissions.Read())
        {
            var password = Guid.NewGuid().ToString("N");
            (
                await rabbit.PutAsync($"api/users/{sandbox.RabbitUser(service)}", JsonContent.Create(new { password, tags = "" }))
            ).EnsureSuccessStatusCode();
            (
                await rabbit.PutAsync(
                    $"api/permissions/{sandbox.VirtualHost}/{sandbox.RabbitUser(service)}",
                    JsonContent.Create(
                        new
                        {
                            configure = permissions.Configure,
                            write = permissions.Write,
                            read = permissions.Read,
                        }
                    )
                )
            ).EnsureSuccessStatusCode();
            sandbox._rabbitPasswords[service] = password;
        }
        return sandbox;
    }

    public string RabbitUser(string service) => $"{VirtualHost}-{service}";

    public string RabbitPassword(string service) => _rabbitPasswords[service];

    /// <summary>The test's own connections are unpooled, so none lingers when the database is dropped.</summary>
    public string ConnectionString(string service) => ServiceConnectionString(service) + ";Pooling=false";

    string ServiceConnectionString(string service)
    {
        _services.Add(service);
        return TestDatabases.ConnectionString($"cnh_e2e_{RunId}_{service}");
    }

    /// <summary>What a service needs to use this sandbox's database and virtual host.</summary>
    public Dictionary<string, string> ServiceEnvironment(string service)
    {
        var env = new Dictionary<string, string> { ["ConnectionStrings__Database"] = ServiceConnectionString(service) };
        if (_rabbitPasswords.TryGetValue(service, out var password))
        {
            env["RabbitMq__VirtualHost"] = VirtualHost;
            if (Broker.ClusterNodes is { } nodes)
                env["RabbitMq__ClusterNodes"] = nodes;
            env["RabbitMq__Username"] = RabbitUser(service);
            env["RabbitMq__Password"] = password;
        }
        return env;
    }

    /// <summary>A bus of the test's own on the sandbox's virtual host, to publish events as a service would.</summary>
    public async Task<IBusControl> StartBusAsync()
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host("127.0.0.1", 5672, VirtualHost, h =>
            {
                h.Username("cnh");
                h.Password(TestEnvironment.RabbitPassword);
                if (Broker.ClusterNodes is { } nodes)
                    h.UseCluster(c =>
                    {
                        foreach (var node in nodes.Split(','))
                            c.Node(node);
                    });
            }));
        await bus.StartAsync();
        return bus;
    }

    public async Task<long> ScalarAsync(string service, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(service));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task<string?> TextAsync(string service, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(service));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return (string?)await command.ExecuteScalarAsync();
    }

    public async Task<List<string>> RowsAsync(string service, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(service));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(
                string.Join(
                    " | ",
                    Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i).ToString())
                )
            );
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
            await TestDatabases.DropAsync($"cnh_e2e_{RunId}_{service}");
        using var rabbit = Broker.Admin();
        await rabbit.DeleteAsync($"api/vhosts/{VirtualHost}");
        foreach (var service in _rabbitPasswords.Keys)
            await rabbit.DeleteAsync($"api/users/{RabbitUser(service)}");
        if (Environment.GetEnvironmentVariable("CNH_KEEP_E2E_LOGS") is null && Directory.Exists(WorkDirectory))
            Directory.Delete(WorkDirectory, recursive: true);
    }

    /// <summary>The single broker's management API.</summary>
    public static HttpClient RabbitAdmin() => Broker.Single.Admin();
}

/// <summary>
/// Where RabbitMQ runs for a test: the single broker (AMQP 5672, management 15672), or the three-node cluster of
/// infra/rabbitmq-cluster.sh (node N: AMQP 5672+N, management 15672+N; the management API answers for the whole cluster).
/// </summary>
public sealed record Broker(int ManagementPort, string? ClusterNodes)
{
    public static readonly Broker Single = new(15672, null);
    public static readonly Broker Cluster = new(15673, "127.0.0.1:5673,127.0.0.1:5674,127.0.0.1:5675");

    public static string ClusterNode(int n) => $"cnh-{n}@localhost";

    /// <summary>The management API, as the cnh administrator.</summary>
    public HttpClient Admin()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"cnh:{TestEnvironment.RabbitPassword}"))
        );
        return http;
    }
}

/// <summary>infra/rabbitmq-permissions.tsv: what each service's RabbitMQ user may configure, write and read.</summary>
public static class RabbitPermissions
{
    public sealed record Permissions(string Configure, string Write, string Read);

    public static Dictionary<string, Permissions> Read() =>
        File.ReadAllLines(Path.Combine(TestEnvironment.Root, "infra", "rabbitmq-permissions.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .ToDictionary(c => c[0], c => new Permissions(c[1], c[2], c[3]));
}
