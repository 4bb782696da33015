namespace Cnh.Catalogue.Documents;

/// <summary>The seed file's JSON format (also the import/export format).</summary>
public sealed record CatalogueDocument(
    string Catalogue,
    string? Title,
    string? TitleEn,
    IReadOnlyList<GroupDocument> Groups,
    IReadOnlyList<DepartmentDocument> Departments,
    IReadOnlyList<IndicatorDocument> Indicators,
    IReadOnlyList<string>? Notes = null
);

public sealed record GroupDocument(string Code, string NameVi, string NameEn, int ExpectedCount);

public sealed record DepartmentDocument(string Code, string NameVi, string NameEn);

public sealed record BaselineDocument(int? Year, double? Value);

public sealed record TargetDocument(int Year, double? Min, double? Max, string Op, string? TargetStatus, string? Source);

public sealed record IndicatorDocument(
    string Code,
    string Group,
    string NameVi,
    string NameEn,
    string Unit,
    string Direction,
    BaselineDocument? Baseline,
    IReadOnlyList<TargetDocument> Targets,
    string ResponsibleDepartment,
    IReadOnlyList<string>? CoordinatingDepartments,
    string ReportingFrequency,
    string Confidence,
    string? Source,
    string? NationalAlignment,
    double? Weight,
    int? DueDays = null,
    double? PlausibleMin = null,
    double? PlausibleMax = null
);
