using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cnh.Testing;
using MassTransit;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole platform for a test run: its own four databases on the real PostgreSQL, its own virtual host on the
/// real RabbitMQ, the five services as real processes on free loopback ports, and an OTLP receiver for their spans.
/// Nothing is shared with a platform that `./cnh up` may be running.
/// </summary>
public class Platform : IAsyncLifetime
{
    readonly int _instances;
    readonly Broker _broker;
    TcpBalancer? _balancer;

    public Platform()
        : this(instances: 1, Broker.Single) { }

    /// <summary>
    /// <paramref name="instances"/> of every service but the portal (the second named "scoring-2" and so on), the
    /// gateways behind one balancer address when there are several.
    /// </summary>
    protected Platform(int instances, Broker broker) => (_instances, _broker) = (instances, broker);

    /// <summary>The day the submissions service starts on (<c>Clock:Now</c>); its clock runs on from there.</summary>
    public static readonly DateTimeOffset SubmissionsClockStart = new(2026, 8, 15, 0, 0, 0, TimeSpan.Zero);

    // One token request per client however many requests start at once (the token endpoint is rate limited).
    readonly ConcurrentDictionary<string, Lazy<Task<string>>> _tokens = new();
    readonly ConcurrentDictionary<string, string> _secrets = new();
    Sandbox _sandbox = null!;
    string _workDir = null!;

    public Sandbox Sandbox => _sandbox;
    public string SigningKeyFile => Path.Combine(_workDir, "signing-key.pem");
    public string PortalSecretFile => Path.Combine(_workDir, "portal-client-secret");
    public string GatewaySecretFile => Path.Combine(_workDir, "gateway-secret");
    public ServiceProcess Portal => Services["portal"];

    /// <summary>The <c>iss</c> of the gateway's tokens (OpenIddict writes the issuer URI with its trailing slash).</summary>
    public string Issuer => PublicUrl + "/";

    /// <summary>Where clients reach the platform: the gateway, or the balancer in front of the gateways.</summary>
    public string PublicUrl => _balancer?.BaseUrl ?? Gateway.BaseUrl;

    /// <summary>Every running instance of a service ("scoring", "scoring-2", …).</summary>
    public IReadOnlyList<ServiceProcess> Instances(string service) =>
        Services.Where(s => s.Key == service || s.Key.StartsWith(service + "-")).Select(s => s.Value).ToList();

    public string VirtualHost => _sandbox.VirtualHost;
    public OtlpReceiver Otlp { get; private set; } = null!;
    public SmtpServer Smtp { get; private set; } = null!;
    public Dictionary<string, ServiceProcess> Services { get; } = new();
    public ServiceProcess Gateway => Services["gateway"];
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string ConnectionString(string service) => _sandbox.ConnectionString(service);

    public async Task InitializeAsync()
    {
        _sandbox = await Sandbox.CreateAsync(_broker);
        _workDir = _sandbox.WorkDirectory;
        Otlp = await OtlpReceiver.StartAsync(TestEnvironment.FreePort());
        Smtp = await SmtpServer.StartAsync(_workDir);

        var processes = PlatformServices.Read();
        string Key(string name, int instance) => instance == 1 ? name : $"{name}-{instance}";
        int Count(string name) => name == "portal" ? 1 : _instances;
        var ports = processes
            .SelectMany(p => Enumerable.Range(1, Count(p.Name)).Select(i => Key(p.Name, i)))
            .ToDictionary(key => key, _ => TestEnvironment.FreePort());
        if (_instances > 1)
            _balancer = TcpBalancer.Start(Enumerable.Range(1, _instances).Select(i => ports[Key("gateway", i)]).ToList());
        var gatewayUrl = _balancer?.BaseUrl ?? $"http://127.0.0.1:{ports["gateway"]}";

        foreach (var (name, folder, assembly, _, _) in processes)
        {
            var env = new Dictionary<string, string>
            {
                ["Urls"] = $"http://127.0.0.1:{ports[name]}",
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Auth__Authority"] = gatewayUrl,
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Otlp.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
                // The tests read the traces of values submitted alongside many others: every trace is kept.
                ["Telemetry__TracesPerSecond"] = "100000",
                // A key rotation reaches the services' key cache within a second.
                ["Auth__KeyRefreshSeconds"] = "1",
                // The services answer only what comes through the gateway, as under ./cnh.
                ["Auth__GatewaySecretFile"] = GatewaySecretFile,
            };
            // The portal holds no database or broker credential: only its viewer client's secret file.
            if (name != "portal")
                foreach (var (key, value) in _sandbox.ServiceEnvironment(name))
                    env[key] = value;
            if (name == "gateway")
            {
                env["Auth__Issuer"] = gatewayUrl;
                env["Auth__SigningKeyFile"] = SigningKeyFile;
                env["Auth__ClientsFile"] = Path.Combine(_workDir, "gateway-clients.json");
                env["Auth__DevelopmentCredentialsFile"] = Path.Combine(_workDir, "clients.json");
                foreach (var service in processes.Where(p => p.Name != "gateway"))
                    for (var i = 1; i <= Count(service.Name); i++)
                    {
                        var destination = i == 1 ? "primary" : $"instance{i}";
                        var address = $"http://127.0.0.1:{ports[Key(service.Name, i)]}";
                        env[$"ReverseProxy__Clusters__{service.Name}__Destinations__{destination}__Address"] = address;
                        if (service.Name == "submissions")
                            env[$"ReverseProxy__Clusters__submissionsBatch__Destinations__{destination}__Address"] = address;
                    }
                env["Auth__ServiceClients__portal__SecretFile"] = PortalSecretFile;
            }
            if (name == "portal")
            {
                // The portal reads through the gateway like any client; its "current reporting year" follows the same
                // fixed day as submissions (2025 is the year being reported on 15 August 2026).
                env["Portal__GatewayUrl"] = gatewayUrl;
                env["Portal__ClientSecretFile"] = PortalSecretFile;
                env["Portal__RefreshSeconds"] = "1";
                env["Clock__Now"] = SubmissionsClockStart.ToString("O");
            }
            if (name == "scoring")
            {
                // A lock held too long fails the attempt, so a message stuck behind one reaches the _error queue in seconds.
                env["ConnectionStrings__Database"] += ";Options=-c lock_timeout=3000";
                env["Scoring__LockTimeoutSeconds"] = "3";
                env["RabbitMq__RetryLimit"] = "5";
                env["RabbitMq__RetryMinMilliseconds"] = "200";
                env["RabbitMq__RetryMaxMilliseconds"] = "3000";
                // 07:00 in Hanoi: the day's open data release (23:45) is published only when a test asks for it.
                env["Clock__Now"] = SubmissionsClockStart.ToString("O");
            }
            if (name == "submissions")
            {
                // Submissions lives on 15 August 2026 whatever day the tests run (deadlines depend on the day), and only
                // values due in 2026 or later are deadlines here, so that just the tests' own indicators fall overdue.
                env["Clock__Now"] = SubmissionsClockStart.ToString("O");
                env["Submissions__Deadlines__TrackFromYear"] = "2026";
                env["Submissions__Deadlines__ScanIntervalSeconds"] = "1";
            }
            if (name == "notifications")
            {
                // Fast retries so that five attempts fit in a test; a short lease so a killed instance's work resumes soon.
                env["Notifications__Smtp__Port"] = Smtp.Port.ToString();
                env["Notifications__Delivery__MaxAttempts"] = "5";
                env["Notifications__Delivery__BaseDelayMilliseconds"] = "200";
                env["Notifications__Delivery__MaxDelayMilliseconds"] = "2000";
                env["Notifications__Delivery__AttemptTimeoutSeconds"] = "1";
                env["Notifications__Delivery__BreakSeconds"] = "1";
                env["Notifications__Delivery__PollMilliseconds"] = "200";
                env["Notifications__Delivery__DigestIntervalSeconds"] = "4";
                // This instance lives on today's clock: it would mail a briefing if the tests ran just after the 5th. The
                // briefing tests start instances of their own, on a clock set near a due time.
                env["Notifications__Briefing__Enabled"] = "false";
                env["Notifications__DataProtection__CertificateFile"] = Path.Combine(_workDir, "notifications-data-protection.pfx");
                env["Notifications__Briefing__ReportUrl"] = gatewayUrl + "/reports/briefing.pdf?lang=vi";
                env["Notifications__Briefing__PortalUrl"] = gatewayUrl + "/";
            }
            for (var i = 1; i <= Count(name); i++)
            {
                var key = Key(name, i);
                var instanceEnv = new Dictionary<string, string>(env) { ["Urls"] = $"http://127.0.0.1:{ports[key]}" };
                Services[key] = new ServiceProcess(key, TestEnvironment.ServiceDll(folder, assembly), ports[key], instanceEnv, _workDir);
            }
        }

        // The gateway first: it generates the signing key and the development clients (which the others then share).
        Gateway.Start();
        await Gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
        foreach (var s in Services.Values.Where(s => s != Gateway))
            s.Start();
        await Task.WhenAll(Services.Values.Select(s => s.WaitReadyAsync(TimeSpan.FromSeconds(90))));

        await LoadDevelopmentCredentialsAsync();
        // Each department's development client follows the catalogue's DepartmentDefined events, as under ./cnh up.
        var departments = (await GetJsonAsync("/api/catalogue/departments", "admin"))
            .EnumerateArray()
            .Select(d => d.GetProperty("code").GetString()!)
            .ToList();
        foreach (var department in departments)
            await DepartmentClientAsync(department);
        await WaitForCatalogueReplicasAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var s in Services.Values)
            s.Kill();
        if (_balancer is not null)
            await _balancer.DisposeAsync();
        await Otlp.DisposeAsync();
        Smtp.Dispose();
        await _sandbox.DisposeAsync();
    }

    public string Url(string path) => PublicUrl + path;

    /// <summary>The development credentials of every client, as ./cnh up writes them.</summary>
    public IReadOnlyDictionary<string, string> ClientSecrets => _secrets;

    /// <summary>A client created through <c>/api/clients</c> (or its rotated secret), for SendAsync and TokenAsync.</summary>
    public void UseClient(string clientId, string secret)
    {
        lock (_secrets)
            _secrets[clientId] = secret;
        _tokens.TryRemove(clientId, out _);
    }

    public Task WaitAllReadyAsync() => Task.WhenAll(Services.Values.Select(s => s.WaitReadyAsync(TimeSpan.FromSeconds(90))));

    /// <summary>The development credentials file the gateway writes (its clients' plain secrets).</summary>
    async Task LoadDevelopmentCredentialsAsync()
    {
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_workDir, "clients.json")));
        foreach (var c in credentials.RootElement.GetProperty("clients").EnumerateArray())
            _secrets[c.GetProperty("clientId").GetString()!] = c.GetProperty("clientSecret").GetString()!;
    }

    /// <summary>
    /// The development client the gateway makes for a department once the catalogue's <c>DepartmentDefined</c> reaches it
    /// (<c>dept-{code}</c>), ready for SendAsync and TokenAsync.
    /// </summary>
    public async Task<string> DepartmentClientAsync(string department)
    {
        var clientId = $"dept-{department.ToLowerInvariant()}";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_secrets.ContainsKey(clientId))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The gateway made no development client for department {department}.");
            await Task.Delay(100);
            await LoadDevelopmentCredentialsAsync();
        }
        return clientId;
    }

    /// <summary>A bearer token from the gateway's <c>/auth/token</c>, as a department's script would get it.</summary>
    public async Task<string> TokenAsync(string clientId)
    {
        var token = _tokens.GetOrAdd(clientId, id => new Lazy<Task<string>>(() => NewTokenAsync(id)));
        try
        {
            return await token.Value;
        }
        catch
        {
            _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(clientId, token));
            throw;
        }
    }

    /// <summary>A fresh token, not the cached one.</summary>
    public async Task<string> NewTokenAsync(string clientId)
    {
        var response = await Http.PostAsync(
            Url("/auth/token"),
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = clientId,
                    ["client_secret"] = _secrets[clientId],
                }
            )
        );
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>POST /api/submissions with one value, as <paramref name="clientId"/> (none: no token).</summary>
    public Task<HttpResponseMessage> SubmitAsync(
        string? clientId,
        string indicatorCode,
        string period,
        double value,
        string? note = null
    ) =>
        SendAsync(
            HttpMethod.Post,
            "/api/submissions",
            clientId,
            new
            {
                indicatorCode,
                period,
                value,
                note,
            }
        );

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        string? clientId,
        object? body = null,
        Action<HttpRequestMessage>? configure = null
    ) => await SendWithTokenAsync(method, path, clientId is null ? null : await TokenAsync(clientId), body, configure);

    public async Task<HttpResponseMessage> SendWithTokenAsync(
        HttpMethod method,
        string path,
        string? token,
        object? body = null,
        Action<HttpRequestMessage>? configure = null
    )
    {
        var request = new HttpRequestMessage(method, Url(path));
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is string raw)
            request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null)
            request.Content = JsonContent.Create(body);
        configure?.Invoke(request);
        return await Http.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string path, string clientId)
    {
        var response = await SendAsync(HttpMethod.Get, path, clientId);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<long> ScalarAsync(string service, string sql, params (string Name, object Value)[] parameters) =>
        _sandbox.ScalarAsync(service, sql, parameters);

    /// <summary>
    /// Publishes a message again, as a redelivery would bring it, and waits until the consuming service has handled it
    /// (its consume span, found by a fresh transport message id, ends only after the consumer returned).
    /// </summary>
    public async Task RedeliverAsync(object message, string consumingService)
    {
        var marker = Guid.NewGuid();
        var bus = await _sandbox.StartBusAsync();
        try
        {
            await bus.Publish(message, message.GetType(), ctx => ctx.MessageId = marker);
        }
        finally
        {
            await bus.StopAsync();
        }
        await Eventually.Async(
            () => Task.FromResult(Otlp.Spans.Any(s => s.Service == consumingService && s.Attributes.Values.Contains(marker.ToString()))),
            seen => seen,
            TimeSpan.FromSeconds(30),
            $"{consumingService} to consume the repeated message",
            _ => DescribeSpans()
        );
    }

    /// <summary>What the receiver got, for a failure message: service, span name and trace id of the last spans.</summary>
    public string DescribeSpans() =>
        string.Join("\n", Otlp.Spans.TakeLast(60).Select(s => $"{s.Service} | {s.Name} | {s.TraceId}"))
        + $"\n({Otlp.Spans.Count} spans in all)";

    async Task WaitForCatalogueReplicasAsync()
    {
        await Eventually.Async(
            async () =>
                await ScalarAsync("submissions", "SELECT count(*) FROM indicator_replicas")
                + await ScalarAsync("scoring", "SELECT count(*) FROM indicator_definitions"),
            n => n == 52,
            TimeSpan.FromSeconds(60),
            "catalogue replicas in submissions and scoring"
        );
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<Platform>
{
    public const string Name = "platform";
}
