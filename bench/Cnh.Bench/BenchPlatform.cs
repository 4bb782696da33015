using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cnh.Bench;

/// <summary>
/// What the benchmark needs from a running platform: an admin token (from <c>.cnh/clients.json</c>), and its own
/// department BENCH with its own API clients and indicators, made through the admin APIs and retired and revoked at
/// the end, so that the seed's indicators and scores are not touched.
/// </summary>
public sealed class BenchPlatform : IAsyncDisposable
{
    public const string Department = "BENCH";
    readonly BenchOptions _options;
    readonly List<(string Id, string Token)> _clients = [];
    string _adminToken = "";

    public HttpClient Http { get; } =
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            Timeout = TimeSpan.FromSeconds(120),
        };

    public List<string> Indicators { get; } = [];

    /// <summary>Kept out of the load, so that each value sent to it decides its status alone.</summary>
    public string AlertIndicator { get; private set; } = "";
    public string GatewayUrl => _options.GatewayUrl;
    public IReadOnlyList<string> GatewayUrls => _options.GatewayUrls;
    public IReadOnlyList<(string Id, string Token)> Clients => _clients;
    public string AdminToken => _adminToken;

    public BenchPlatform(BenchOptions options) => _options = options;

    /// <summary>
    /// The secret the gateway adds to what it forwards (.cnh/gateway-secret): the "direct" phase sends it itself, as the
    /// operator measuring what the gateway costs; services refuse requests without it.
    /// </summary>
    public string? GatewaySecret =>
        File.Exists(Path.Combine(_options.Home, "gateway-secret"))
            ? File.ReadAllText(Path.Combine(_options.Home, "gateway-secret")).Trim()
            : null;

    /// <summary>The months the load submits to: ten years, 2016-01 to 2025-12.</summary>
    public static readonly IReadOnlyList<string> Periods = Enumerable.Range(0, 120).Select(m => $"{2016 + m / 12}{m % 12 + 1:00}").ToList();

    public static string RandomPeriod(Random random) => Periods[random.Next(Periods.Count)];

    public async Task SetUpAsync(int indicatorCount)
    {
        var credentialsFile = Path.Combine(_options.Home, "clients.json");
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(credentialsFile));
        var admin = credentials
            .RootElement.GetProperty("clients")
            .EnumerateArray()
            .First(c => c.GetProperty("clientId").GetString() == "admin");
        _adminToken = await TokenAsync("admin", admin.GetProperty("clientSecret").GetString()!);

        await Send(HttpMethod.Put, $"/api/catalogue/departments/{Department}", new { nameVi = "Đo hiệu năng", nameEn = "Benchmark" });
        for (var i = 0; i < _options.Clients; i++)
        {
            var created = await CreateDepartmentClientAsync();
            var id = created.GetProperty("clientId").GetString()!;
            _clients.Add((id, await TokenAsync(id, created.GetProperty("clientSecret").GetString()!)));
        }
        var run = DateTime.UtcNow.ToString("HHmmss");
        for (var i = 1; i <= indicatorCount + 1; i++)
        {
            var code = $"BENCH-{run}-{i:00}";
            await Send(
                HttpMethod.Post,
                "/api/catalogue/indicators",
                new
                {
                    code,
                    group = "KT",
                    nameVi = $"Đo hiệu năng {i}",
                    nameEn = $"Benchmark {i}",
                    unit = "điểm",
                    direction = "increase",
                    baseline = new { year = 1900, value = 10.0 },
                    targets = new[]
                    {
                        new
                        {
                            year = 2030,
                            min = (double?)60.0,
                            max = (double?)null,
                            op = ">=",
                        },
                    },
                    responsibleDepartment = Department,
                    coordinatingDepartments = Array.Empty<string>(),
                    // Ten years of months: the periods the load submits to and the history phase fills.
                    reportingFrequency = i <= indicatorCount ? "monthly" : "annual",
                    confidence = "inferred",
                }
            );
            if (i <= indicatorCount)
                Indicators.Add(code);
            else
                AlertIndicator = code;
        }
        // The replicas in submissions learn the indicators through RabbitMQ: wait until each takes a dry-run value.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var rows = Indicators
                .Select(c => new
                {
                    indicatorCode = c,
                    period = Periods[0],
                    value = 50.0,
                    note = "bench",
                })
                .ToList();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{_options.GatewayUrl}/api/submissions/batch?dryRun=true")
            {
                Content = JsonContent.Create(rows),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _clients[0].Token);
            using var response = await Http.SendAsync(request);
            var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (response.IsSuccessStatusCode && summary.GetProperty("accepted").GetInt32() == Indicators.Count)
                break;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the bench indicators did not reach submissions: {summary}");
            await Task.Delay(250);
        }
    }

    public async Task<string> TokenAsync(string clientId, string secret)
    {
        using var response = await Http.PostAsync(
            $"{_options.GatewayUrl}/auth/token",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = clientId,
                    ["client_secret"] = secret,
                }
            )
        );
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException(
                $"token for {clientId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}"
            );
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>
    /// A client of the benchmark's department. The gateway learns of a new department from the catalogue's event, a
    /// moment after the department was made: until then it answers 422, and the request is repeated.
    /// </summary>
    async Task<JsonElement> CreateDepartmentClientAsync()
    {
        var body = new
        {
            role = "department",
            department = Department,
            description = "cnh-bench",
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Send(HttpMethod.Post, "/api/clients", body);
            }
            catch (InvalidOperationException e) when (e.Message.Contains(": 422 ") && attempt < 60)
            {
                await Task.Delay(500);
            }
        }
    }

    public async Task<JsonElement> Send(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, _options.GatewayUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminToken.Length == 0)
            return;
        foreach (var code in Indicators.Append(AlertIndicator).Where(c => c.Length > 0))
            try
            {
                await Send(HttpMethod.Post, $"/api/catalogue/indicators/{code}/retire");
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"retire {code}: {ex.Message}");
            }
        foreach (var (id, _) in _clients)
            try
            {
                await Send(HttpMethod.Delete, $"/api/clients/{id}");
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"revoke {id}: {ex.Message}");
            }
        Http.Dispose();
    }
}
