using System.Collections.Concurrent;

namespace Cnh.Portal.Api;

/// <summary>Everything the pages show, as last read from the APIs. Immutable: a refresh makes a new one.</summary>
public sealed record PortalSnapshot(
    IReadOnlyList<CatalogueIndicator> Indicators,
    IReadOnlyList<CatalogueGroup> Groups,
    IReadOnlyList<CatalogueDepartment> Departments,
    ScoresSummary? Scores,
    IReadOnlyDictionary<string, IndicatorScore> IndicatorScores,
    CompletenessReport? Completeness,
    DateOnly? NextDue,
    IReadOnlyList<Alert> Alerts,
    DateTimeOffset? AsOf,
    bool Stale,
    long Version
)
{
    /// <summary>The target years of these indicators, and the one to show: the requested year if they have it, else the last.</summary>
    public static (IReadOnlyList<int> Years, int Chosen) TargetYears(IEnumerable<CatalogueIndicator> indicators, int? requested)
    {
        var years = indicators.SelectMany(i => i.Targets).Select(t => t.Year).Distinct().Order().ToList();
        return (years, requested is { } y && years.Contains(y) ? y : years.DefaultIfEmpty(2030).Last());
    }

    public static readonly PortalSnapshot Empty = new(
        [],
        [],
        [],
        null,
        new Dictionary<string, IndicatorScore>(),
        null,
        null,
        [],
        null,
        false,
        0
    );

    public bool HasData => AsOf is not null;

    public CatalogueIndicator? Indicator(string code) =>
        Indicators.FirstOrDefault(i => string.Equals(i.Code, code, StringComparison.OrdinalIgnoreCase));

    public IndicatorScore? ScoreOf(string code) => IndicatorScores.GetValueOrDefault(code);

    public string StatusOf(string code) => ScoreOf(code)?.Status ?? "NotAvailable";

    public CatalogueGroup? Group(string code) => Groups.FirstOrDefault(g => g.Code == code);

    public CatalogueDepartment? Department(string code) => Departments.FirstOrDefault(d => d.Code == code);
}

/// <summary>An indicator's reported values and its recalculations, as last read.</summary>
public sealed record IndicatorDetail(
    IReadOnlyList<Observation> Observations,
    IReadOnlyList<ScoreSnapshot> History,
    DateTimeOffset AsOf,
    bool Stale,
    DateTimeOffset? ScoreCalculatedAt
);

/// <summary>
/// The portal's single reader of the APIs. The indicators' scores are read every <c>RefreshSeconds</c>; when one changed
/// (or every <c>SlowRefreshSeconds</c>) the aggregates, catalogue, completeness and alerts are read too. Pages render from the snapshot, so
/// twenty readers cost the APIs
/// nothing more than one, and open pages are told (<see cref="Changed"/>, through <c>/live</c>) to fetch themselves again. When an API
/// cannot be reached,
/// the last snapshot stays, marked stale, with the time it was read.
/// </summary>
public sealed class PortalData(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<PortalApiOptions> options,
    ILogger<PortalData> logger
) : BackgroundService
{
    readonly ConcurrentDictionary<string, IndicatorDetail> _details = new(StringComparer.OrdinalIgnoreCase);
    DateTimeOffset _lastSlowRefresh = DateTimeOffset.MinValue;

    public PortalSnapshot Current { get; private set; } = PortalSnapshot.Empty;

    /// <summary>Raised after a refresh brought something new.</summary>
    public event Action<PortalSnapshot>? Changed;

    /// <summary>The year whose values are being reported now: the one before the current year.</summary>
    public int ReportingYear => clock.GetUtcNow().Year - 1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshSeconds), clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (!Current.Stale)
                {
                    logger.LogWarning(ex, "Cannot read the platform's APIs; the pages show the data of {AsOf}", Current.AsOf);
                    Publish(Current with { Stale = true, Version = NextVersion() });
                }
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<PlatformApi>();
        var previous = Current;
        // The cheap question first: did any indicator's score change since the last read?
        var indicatorScores = await api.IndicatorScoresAsync(ct);
        var now = clock.GetUtcNow();
        var scoresChanged =
            !previous.HasData
            || indicatorScores.Count != previous.IndicatorScores.Count
            // An accepted value changes a score's basis without rescoring it.
            || indicatorScores.Any(s => previous.ScoreOf(s.Code) is not { } p || p.CalculatedAt != s.CalculatedAt || p.Basis != s.Basis);
        var slowDue = now - _lastSlowRefresh >= TimeSpan.FromSeconds(options.Value.SlowRefreshSeconds);
        if (!scoresChanged && !slowDue && !previous.Stale)
        {
            Current = previous with { AsOf = now };
            return;
        }

        using var activity = Cnh.ServiceDefaults.Telemetry.Source.StartActivity("portal refresh");
        // Each source on its own: one API that cannot answer (its last data stays, and the page says so) must not keep
        // the others' news from the pages. Only a first reading needs the scores and the catalogue.
        var failed = new List<string>();
        // A new or retired indicator shows in the scores first: read the catalogue again then, not half a minute later.
        var readCatalogue =
            slowDue
            || previous.Stale
            || !previous.HasData
            || !indicatorScores.Select(s => s.Code).Order().SequenceEqual(previous.Indicators.Select(i => i.Code).Order());
        var scores = Read("scores", api.ScoresAsync(ct), previous.Scores, failed);
        var alerts = Read("alerts", api.AlertsAsync(200, ct), previous.Alerts.ToList(), failed);
        var catalogue = readCatalogue
            ? Read("catalogue", api.IndicatorsAsync(ct), previous.Indicators.ToList(), failed)
            : Task.FromResult<List<CatalogueIndicator>?>(previous.Indicators.ToList());
        var groups = readCatalogue
            ? Read("groups", api.GroupsAsync(ct), previous.Groups.ToList(), failed)
            : Task.FromResult<List<CatalogueGroup>?>(previous.Groups.ToList());
        var departments = readCatalogue
            ? Read("departments", api.DepartmentsAsync(ct), previous.Departments.ToList(), failed)
            : Task.FromResult<List<CatalogueDepartment>?>(previous.Departments.ToList());
        var completeness = Read("completeness", api.CompletenessAsync(ReportingYear.ToString(), ct), previous.Completeness, failed);
        var upcoming = Read("completeness", api.CompletenessAsync((ReportingYear + 1).ToString(), ct), null, failed);
        await Task.WhenAll(scores, alerts, catalogue, groups, departments, completeness, upcoming);
        if (scores.Result is null || catalogue.Result is not { Count: > 0 })
            throw new HttpRequestException($"The first reading needs the scores and the catalogue; failed: {string.Join(", ", failed)}.");
        if (slowDue && failed.Count == 0)
            _lastSlowRefresh = now;
        if (failed.Count > 0)
            logger.LogWarning("Could not read {Sources}; the pages keep their last data of them", string.Join(", ", failed.Distinct()));

        var nextDue =
            completeness.Result is null || upcoming.Result is null
                ? previous.NextDue
                : completeness
                    .Result.Departments.Concat(upcoming.Result.Departments)
                    .SelectMany(d => d.Items)
                    .Where(i => i.State == "notYetDue")
                    .Select(i => (DateOnly?)i.DueDate)
                    .Min();
        Publish(
            new PortalSnapshot(
                catalogue.Result.Where(i => !i.Retired).OrderBy(i => i.Code, StringComparer.Ordinal).ToList(),
                groups.Result ?? [],
                departments.Result ?? [],
                scores.Result,
                indicatorScores.ToDictionary(s => s.Code, StringComparer.OrdinalIgnoreCase),
                completeness.Result,
                nextDue,
                alerts.Result ?? [],
                now,
                failed.Count > 0,
                NextVersion()
            )
        );
    }

    /// <summary>An API that could not be read: unreachable, refused, too slow, or an answer that is not what was asked.</summary>
    static bool CannotRead(Exception ex) =>
        ex
            is HttpRequestException
                or TimeoutException
                or TaskCanceledException
                or Polly.ExecutionRejectedException
                or NotFoundException
                or System.Text.Json.JsonException
                or InvalidOperationException;

    async Task<T?> Read<T>(string source, Task<T> read, T? fallback, List<string> failed)
    {
        try
        {
            return await read;
        }
        catch (Exception ex) when (CannotRead(ex))
        {
            lock (failed)
                failed.Add(source);
            logger.LogDebug(ex, "Reading {Source} failed", source);
            return fallback;
        }
    }

    /// <summary>Increases, across restarts too (it starts from the clock), so an open page can tell it missed something.</summary>
    long NextVersion() => Math.Max(Current.Version + 1, clock.GetUtcNow().ToUnixTimeMilliseconds());

    void Publish(PortalSnapshot snapshot)
    {
        Current = snapshot;
        Changed?.Invoke(snapshot);
    }

    /// <summary>An indicator's values and history, read again only when its score changed; the last ones if the API is down.</summary>
    public async Task<IndicatorDetail?> DetailAsync(string code, CancellationToken ct)
    {
        var calculatedAt = Current.ScoreOf(code)?.CalculatedAt;
        if (_details.TryGetValue(code, out var cached) && cached.ScoreCalculatedAt == calculatedAt && !cached.Stale)
            return cached;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var api = scope.ServiceProvider.GetRequiredService<PlatformApi>();
            var observations = api.ObservationsAsync(code, ct);
            var history = api.HistoryAsync(code, ct);
            await Task.WhenAll(observations, history);
            var detail = new IndicatorDetail(observations.Result, history.Result, clock.GetUtcNow(), false, calculatedAt);
            _details[code] = detail;
            return detail;
        }
        catch (Exception ex) when (CannotRead(ex) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Cannot read the values of {Code}", code);
            return cached is null ? null : cached with { Stale = true };
        }
    }
}
