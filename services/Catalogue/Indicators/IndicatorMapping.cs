using Cnh.Catalogue.Data;
using Cnh.Catalogue.Documents;
using Cnh.Contracts;

namespace Cnh.Catalogue.Indicators;

public static class IndicatorMapping
{
    public static Indicator FromDocument(string catalogue, IndicatorDocument doc) =>
        new()
        {
            Code = doc.Code,
            Catalogue = catalogue,
            Group = doc.Group,
            NameVi = doc.NameVi,
            NameEn = doc.NameEn,
            Unit = doc.Unit,
            Direction = doc.Direction,
            BaselineYear = doc.Baseline?.Year,
            BaselineValue = doc.Baseline?.Value,
            Targets = doc.Targets.Select(t => new TargetDefinition(t.Year, t.Min, t.Max, t.Op, t.TargetStatus, t.Source)).ToList(),
            ResponsibleDepartment = doc.ResponsibleDepartment,
            CoordinatingDepartments = doc.CoordinatingDepartments?.ToList() ?? new(),
            ReportingFrequency = doc.ReportingFrequency,
            Weight = doc.Weight ?? 1,
            Confidence = doc.Confidence,
            Source = doc.Source,
            NationalAlignment = doc.NationalAlignment,
            DueDays = doc.DueDays ?? IndicatorDefaults.DueDays,
            PlausibleMin = doc.PlausibleMin,
            PlausibleMax = doc.PlausibleMax,
        };

    public static IndicatorDocument ToDocument(this Indicator i) =>
        new(
            i.Code,
            i.Group,
            i.NameVi,
            i.NameEn,
            i.Unit,
            i.Direction,
            i.BaselineYear is { } year && i.BaselineValue is { } value ? new BaselineDocument(year, value) : null,
            i.Targets.Select(t => new TargetDocument(t.Year, t.Min, t.Max, t.Op, t.TargetStatus, t.Source)).ToList(),
            i.ResponsibleDepartment,
            i.CoordinatingDepartments,
            i.ReportingFrequency,
            i.Confidence,
            i.Source,
            i.NationalAlignment,
            i.Weight,
            i.DueDays,
            i.PlausibleMin,
            i.PlausibleMax
        );

    public static IndicatorDefined ToDefinedEvent(this Indicator i) =>
        new(
            Guid.NewGuid(),
            DateTimeOffset.UtcNow,
            i.Catalogue,
            i.Code,
            i.Group,
            i.NameVi,
            i.NameEn,
            i.Unit,
            i.Direction,
            i.BaselineYear is { } year && i.BaselineValue is { } value ? new BaselineDto(year, value) : null,
            i.Targets.Select(t => new TargetDto(t.Year, t.Min, t.Max, t.Op)).ToList(),
            i.ResponsibleDepartment,
            i.CoordinatingDepartments,
            i.ReportingFrequency,
            i.Weight,
            i.Confidence,
            i.Version,
            i.Retired,
            i.DueDays,
            i.PlausibleMin,
            i.PlausibleMax
        );
}
