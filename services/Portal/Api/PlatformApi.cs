using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cnh.Portal.Api;

/// <summary>The platform's read APIs, through the gateway, as the portal's viewer client.</summary>
public sealed class PlatformApi(HttpClient http)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { Converters = { new JsonStringEnumConverter() } };

    public Task<List<CatalogueIndicator>> IndicatorsAsync(CancellationToken ct) =>
        GetAsync<List<CatalogueIndicator>>("/api/catalogue/indicators", ct);

    public Task<List<CatalogueGroup>> GroupsAsync(CancellationToken ct) => GetAsync<List<CatalogueGroup>>("/api/catalogue/groups", ct);

    public Task<List<CatalogueDepartment>> DepartmentsAsync(CancellationToken ct) =>
        GetAsync<List<CatalogueDepartment>>("/api/catalogue/departments", ct);

    public Task<ScoresSummary> ScoresAsync(CancellationToken ct) => GetAsync<ScoresSummary>("/api/scores", ct);

    public Task<List<IndicatorScore>> IndicatorScoresAsync(CancellationToken ct) =>
        GetAsync<List<IndicatorScore>>("/api/scores/indicators", ct);

    public Task<List<ScoreSnapshot>> HistoryAsync(string code, CancellationToken ct) =>
        GetAsync<List<ScoreSnapshot>>($"/api/scores/indicators/{Uri.EscapeDataString(code)}/history?limit=1000", ct);

    public Task<List<Observation>> ObservationsAsync(string code, CancellationToken ct) =>
        GetAsync<List<Observation>>($"/api/scores/indicators/{Uri.EscapeDataString(code)}/observations", ct);

    public Task<CompletenessReport> CompletenessAsync(string period, CancellationToken ct) =>
        GetAsync<CompletenessReport>($"/api/submissions/completeness?period={Uri.EscapeDataString(period)}", ct);

    public Task<OpenDataIndex> OpenDataAsync(CancellationToken ct) => GetAsync<OpenDataIndex>("/open-data/", ct);

    public Task<List<Alert>> AlertsAsync(int limit, CancellationToken ct) => GetAsync<List<Alert>>($"/api/notifications?limit={limit}", ct);

    async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new NotFoundException(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, ct) ?? throw new InvalidOperationException($"Empty answer from {path}.");
    }
}

public sealed class NotFoundException(string path) : Exception($"Not found: {path}");
