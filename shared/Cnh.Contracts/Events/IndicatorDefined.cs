namespace Cnh.Contracts;

/// <summary>
/// The full definition of one indicator. Published by the <b>catalogue</b> on every create or change, at first load and
/// on <see cref="CatalogueReplayRequested"/>. Consumed by <b>submissions</b> (which indicators exist, who reports them,
/// when they are due, plausible ranges) and <b>scoring</b> (targets, baseline and direction; it rescores the indicator).
/// </summary>
public sealed record IndicatorDefined(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string Catalogue,
    string Code,
    string Group,
    string NameVi,
    string NameEn,
    string Unit,
    string Direction,
    BaselineDto? Baseline,
    IReadOnlyList<TargetDto> Targets,
    string ResponsibleDepartment,
    IReadOnlyList<string> CoordinatingDepartments,
    string ReportingFrequency,
    double Weight,
    string Confidence,
    int Version,
    bool Retired,
    int DueDays = IndicatorDefaults.DueDays,
    double? PlausibleMin = null,
    double? PlausibleMax = null
) : IIntegrationEvent;
