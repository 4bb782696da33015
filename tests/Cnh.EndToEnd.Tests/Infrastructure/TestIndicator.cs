using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An indicator of the tests' own department E2E (code prefix E2E), created through the admin API and retired again at
/// the end, so the seed's 26 indicators, their departments and their subscribers never see it.
/// </summary>
public sealed class TestIndicator : IAsyncDisposable
{
    public const string Department = "E2E";
    public const string Client = "dept-e2e";

    readonly Platform _platform;

    TestIndicator(Platform platform, string code) => (_platform, Code) = (platform, code);

    public string Code { get; }

    public static async Task<TestIndicator> CreateAsync(
        Platform platform,
        string frequency = "annual",
        string unit = "điểm",
        int? dueDays = null,
        double? plausibleMin = null,
        double? plausibleMax = null
    )
    {
        await EnsureDepartmentClientAsync(platform);
        var code = $"E2E-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
        return await DefineAsync(platform, code, Definition(code, frequency, unit, dueDays, plausibleMin, plausibleMax));
    }

    /// <summary>
    /// An indicator of the test's own with a seed indicator's definition (unit, baseline, targets, bounds), so hand-worked
    /// numbers can use the seed's published figures without touching the seed indicator itself. It is reported by
    /// <paramref name="department"/> (E2E unless given) and coordinated by <paramref name="coordinating"/>.
    /// </summary>
    public static async Task<TestIndicator> CopyOfAsync(
        Platform platform,
        string seedCode,
        string department = Department,
        params string[] coordinating
    )
    {
        if (department == Department)
            await EnsureDepartmentClientAsync(platform);
        var definition = JsonNode.Parse((await platform.GetJsonAsync($"/api/catalogue/indicators/{seedCode}", "admin")).GetRawText())!;
        var code = $"E2E-{seedCode}-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        definition["code"] = code;
        definition["responsibleDepartment"] = department;
        definition["coordinatingDepartments"] = new JsonArray([.. coordinating.Select(c => JsonValue.Create(c))]);
        return await DefineAsync(platform, code, definition.ToJsonString());
    }

    /// <summary>Creates the indicator through the admin API and waits until submissions and scoring know it.</summary>
    static async Task<TestIndicator> DefineAsync(Platform platform, string code, object definition)
    {
        var response = await platform.SendAsync(HttpMethod.Post, "/api/catalogue/indicators", "admin", definition);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var indicator = new TestIndicator(platform, code);
        await indicator.WaitForReplicasAsync(1);
        return indicator;
    }

    public static object Definition(
        string code,
        string frequency = "annual",
        string unit = "điểm",
        int? dueDays = null,
        double? plausibleMin = null,
        double? plausibleMax = null,
        double target2030 = 100
    ) =>
        new
        {
            code,
            group = "KT",
            nameVi = $"Chỉ tiêu kiểm thử {code}",
            nameEn = $"Test indicator {code}",
            unit,
            direction = "increase",
            baseline = (object?)null,
            targets = new[]
            {
                new
                {
                    year = 2030,
                    min = (double?)target2030,
                    max = (double?)null,
                    op = ">=",
                },
            },
            responsibleDepartment = Department,
            coordinatingDepartments = Array.Empty<string>(),
            reportingFrequency = frequency,
            confidence = "inferred",
            dueDays,
            plausibleMin,
            plausibleMax,
        };

    /// <summary>Submissions and scoring both know this version.</summary>
    public Task WaitForReplicasAsync(int version) =>
        Eventually.Async(
            async () =>
                await _platform.ScalarAsync(
                    "submissions",
                    "SELECT count(*) FROM indicator_replicas WHERE code = @c AND version >= @v",
                    ("c", Code),
                    ("v", version)
                )
                + await _platform.ScalarAsync(
                    "scoring",
                    "SELECT count(*) FROM indicator_definitions WHERE code = @c AND version >= @v",
                    ("c", Code),
                    ("v", version)
                ),
            n => n == 2,
            TimeSpan.FromSeconds(30),
            $"replicas of {Code} at version {version}"
        );

    static readonly SemaphoreSlim Once = new(1, 1);

    /// <summary>The department E2E and its API client, made through the admin APIs the first time a test needs them.</summary>
    public static async Task EnsureDepartmentClientAsync(Platform platform)
    {
        await Once.WaitAsync();
        try
        {
            if (platform.ClientSecrets.ContainsKey(Client))
                return;
            var department = await TestDepartment.DefineAsync(platform, Department, "Đơn vị kiểm thử", "End-to-end test unit");
            department.Client.Should().Be(Client);
        }
        finally
        {
            Once.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        var retired = await _platform.SendAsync(HttpMethod.Post, $"/api/catalogue/indicators/{Code}/retire", "admin");
        retired.IsSuccessStatusCode.Should().BeTrue();
        var version = (await retired.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
        await WaitForReplicasAsync(version);
    }
}
