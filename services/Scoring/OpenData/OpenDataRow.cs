using Cnh.Contracts;
using Cnh.Scoring.Data;
using Cnh.Scoring.Method;
using Cnh.Scoring.Recalculation;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Scoring.OpenData;

/// <summary>
/// One tidy row of the open data: one indicator × period × revision. The status, progress value and score are the
/// indicator's result with this revision as its value for the period and the latest values of the earlier periods —
/// so the latest revision of the latest period carries the score <c>/api/scores/indicators/{code}</c> answers.
/// <c>Change</c> compares with the previous release: "new" (a period it did not have), "revised" (a period it had
/// with another revision), null (published before).
/// </summary>
public sealed record OpenDataRow(
    string Code,
    string? NameVi,
    string NameEn,
    string Group,
    string? Unit,
    string Period,
    string Frequency,
    double Value,
    int Revision,
    bool LatestRevision,
    DateTimeOffset SubmittedAt,
    string Department,
    int? TargetYear,
    string? TargetOp,
    double? TargetValue,
    string Status,
    double? ProgressValue,
    double? Score,
    string? Change = null
)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public (string, string, int) Key => (Code, Period, Revision);
}

/// <summary>What a release says about an indicator besides its values: the catalogue as scoring holds it.</summary>
public sealed record OpenDataIndicator(
    string Code,
    string? NameVi,
    string NameEn,
    string Group,
    string? Unit,
    string Direction,
    int? BaselineYear,
    double? BaselineValue,
    IReadOnlyList<Target> Targets,
    string ResponsibleDepartment,
    int CatalogueVersion
);

/// <summary>Rows and metadata of a release: a stored dated one, or <c>latest</c> computed on request.</summary>
public sealed record OpenDataContent(
    string Name,
    DateTimeOffset PublishedAt,
    DateOnly? PreviousRelease,
    IReadOnlyList<OpenDataRow> Rows,
    IReadOnlyList<OpenDataIndicator> Indicators
);

public static class OpenDataRows
{
    /// <summary>Every stored revision of every indicator in use, scored as <see cref="OpenDataRow"/> says.</summary>
    public static async Task<(List<OpenDataRow> Rows, List<OpenDataIndicator> Indicators)> ReadAsync(
        ScoringDb db,
        ScoringOptions options,
        CancellationToken ct
    )
    {
        var definitions = await db.Definitions.AsNoTracking().Where(d => !d.Retired).OrderBy(d => d.Code).ToListAsync(ct);
        var observations = (await db.Observations.AsNoTracking().ToListAsync(ct)).ToLookup(o => o.IndicatorCode);
        var rows = new List<OpenDataRow>();
        foreach (var d in definitions)
            rows.AddRange(Score(d, observations[d.Code].ToList(), options.For(d.Catalogue)));
        var indicators = definitions
            .Select(d => new OpenDataIndicator(
                d.Code,
                d.NameVi,
                d.NameEn,
                d.Group,
                d.Unit,
                d.Direction,
                d.BaselineYear,
                d.BaselineValue,
                d.Targets,
                d.ResponsibleDepartment,
                d.Version
            ))
            .ToList();
        return (rows, indicators);
    }

    public static IEnumerable<OpenDataRow> Score(DefinitionReplica d, IReadOnlyList<ObservationRow> stored, ScoringThresholds thresholds)
    {
        var definition = d.ToMethod();
        var periods = stored
            .GroupBy(o => o.Period)
            .Select(g => (Period: ReportingPeriod.Parse(g.Key), Revisions: g.OrderBy(o => o.Revision).ToList()))
            .OrderBy(p => p.Period.EndInYears)
            .ToList();
        var earlier = new List<Observation>();
        foreach (var (period, revisions) in periods)
        {
            foreach (var o in revisions)
            {
                var result = ProgressCalculator.Calculate(
                    definition,
                    earlier.Append(new Observation(period, o.Value, o.Revision, o.SubmissionId)),
                    thresholds
                );
                yield return new OpenDataRow(
                    d.Code,
                    d.NameVi,
                    d.NameEn,
                    d.Group,
                    d.Unit,
                    period.Text,
                    period.Frequency,
                    o.Value,
                    o.Revision,
                    o == revisions[^1],
                    o.SubmittedAt,
                    o.Department,
                    result.TargetYear,
                    result.TargetOp,
                    result.TargetValue,
                    result.Status,
                    result.ProgressValue,
                    result.Score
                );
            }
            var latest = revisions[^1];
            earlier.Add(new Observation(period, latest.Value, latest.Revision, latest.SubmissionId));
        }
    }

    /// <summary>Marks each row against the previous release (none: every row is new).</summary>
    public static List<OpenDataRow> MarkChanges(IEnumerable<OpenDataRow> rows, IReadOnlyCollection<OpenDataRow>? previous)
    {
        var published = previous?.Select(r => r.Key).ToHashSet() ?? [];
        var periods = previous?.Select(r => (r.Code, r.Period)).ToHashSet() ?? [];
        return rows.Select(r =>
                r with
                {
                    Change =
                        published.Contains(r.Key) ? null
                        : periods.Contains((r.Code, r.Period)) ? "revised"
                        : "new",
                }
            )
            .ToList();
    }
}
