using Cnh.Portal.Api;
using Cnh.Portal.Components.Charts;
using Cnh.Portal.Components.Pages;
using Cnh.Portal.Text;
using Cnh.ServiceDefaults;

namespace Cnh.Portal.Downloads;

/// <summary>
/// Every page's data as CSV (unit, period, value, target and status columns; numbers as the API has them) and every chart
/// as SVG, from the same snapshot the pages show. Names and status words follow the reader's language; codes do not.
/// </summary>
public static class DownloadEndpoints
{
    static readonly string[] IndicatorColumns =
    [
        "code",
        "indicator",
        "group",
        "unit",
        "period",
        "value",
        "target_year",
        "target_op",
        "target_min",
        "target_max",
        "status",
        "status_text",
        "score",
        "data_as_of",
    ];

    public static void MapDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/data/overview.csv", (PortalData data, int? target) =>
            IndicatorCsv(data.Current, data.Current.Indicators, target).ToResult("overview.csv")
        );
        app.MapGet("/data/groups/{code}.csv", (PortalData data, string code, int? target) =>
            data.Current.Group(code) is null
                ? NotFound()
                : IndicatorCsv(data.Current, data.Current.Indicators.Where(i => i.Group == code).ToList(), target).ToResult($"{code}.csv")
        );
        app.MapGet("/data/indicators/{code}.csv", IndicatorValuesCsv);
        app.MapGet("/data/departments.csv", DepartmentsCsv);
        app.MapGet("/data/alerts.csv", AlertsCsv);
        app.MapGet("/charts/groups.svg", (PortalData data) =>
            data.Current.HasData
                ? Svg(GroupChart.Render(GroupChart.InCatalogueOrder(data.Current), data.Current.Groups, Current), "groups.svg")
                : NotFound()
        );
        app.MapGet("/charts/indicators/{code}.svg", IndicatorSvg);
        // The reports: ?lang=en for the English ones whatever the reader's cookie says.
        app.MapGet("/reports/briefing.pdf", BriefingPdf);
        app.MapGet("/reports/indicators.xlsx", (PortalData data, string? lang) =>
            data.Current.HasData
                ? Results.File(
                    Reports.IndicatorWorkbook.Build(data.Current, lang is null ? Current : Language.FromCode(lang)),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    $"chi-tieu-cnh-hdh-{(lang ?? Current.Code)}.xlsx"
                )
                : NoDataYet()
        );
    }

    /// <summary>The A4 briefing: cover, a page per group, a page per indicator that is behind.</summary>
    static async Task<IResult> BriefingPdf(PortalData data, string? lang, CancellationToken ct)
    {
        if (!data.Current.HasData)
            return NoDataYet();
        if (!Reports.PdfFonts.Available)
            return Results.Problem(
                statusCode: 503,
                title: "No font for the PDF",
                detail: "Install Debian's fonts-noto-core (or fonts-dejavu-core) on the portal's machine."
            );
        Reports.PdfFonts.Register();
        var snapshot = data.Current;
        var language = lang is null ? Current : Language.FromCode(lang);
        var details = new Dictionary<string, IndicatorDetail?>();
        foreach (var i in Reports.Briefing.BehindIndicators(snapshot))
            details[i.Code] = await data.DetailAsync(i.Code, ct);
        return Results.File(
            new Reports.Briefing(snapshot, language, details).Render(),
            "application/pdf",
            $"ban-tin-cnh-hdh-{language.Code}.pdf"
        );
    }

    static Language Current => Language.Current;

    static IResult NoDataYet() =>
        Results.Problem(
            statusCode: 503,
            title: "No data yet",
            detail: "The portal has not read the platform yet; try again in a few seconds."
        );

    static IResult NotFound() => Results.Problem(statusCode: 404, title: "Not found", detail: "No such group or indicator.");

    static IResult Svg(string svg, string name) => Results.File(System.Text.Encoding.UTF8.GetBytes(svg), "image/svg+xml", name);

    static Csv IndicatorCsv(PortalSnapshot s, IReadOnlyList<CatalogueIndicator> indicators, int? targetYear)
    {
        var lang = Current;
        var csv = new Csv(IndicatorColumns);
        var year = PortalSnapshot.TargetYears(indicators, targetYear).Chosen;
        foreach (var i in indicators)
        {
            var score = s.ScoreOf(i.Code);
            var target = i.Targets.FirstOrDefault(t => t.Year == year);
            csv.Row(
                i.Code,
                lang.Name(i.NameVi, i.NameEn),
                i.Group,
                i.Unit,
                score?.Result?.CurrentPeriod,
                score?.Result?.CurrentValue,
                target?.Year,
                target?.Op,
                target?.Min,
                target?.Max,
                score?.Status ?? "NotAvailable",
                lang.Text.StatusName(score?.Status ?? "NotAvailable"),
                score?.Score,
                s.AsOf
            );
        }
        return csv;
    }

    static async Task<IResult> IndicatorValuesCsv(PortalData data, string code, int? target, CancellationToken ct)
    {
        if (data.Current.Indicator(code) is not { } i)
            return NotFound();
        var detail = await data.DetailAsync(i.Code, ct);
        var score = data.Current.ScoreOf(i.Code);
        var chart = IndicatorChart.For(i, score, detail, target);
        var csv = new Csv("code", "unit", "period", "value", "revision", "target", "required_path", "projection", "status", "data_as_of");
        var revisions = (detail?.Observations ?? []).ToDictionary(o => o.Period, o => o.Revision);
        foreach (var row in chart.Rows())
            csv.Row(
                i.Code,
                i.Unit,
                row.Period,
                row.Reported,
                revisions.TryGetValue(row.Period, out var r) ? r : null,
                row.Target,
                row.RequiredPath,
                row.Projection,
                row.Period == score?.Result?.CurrentPeriod ? score.Status : null,
                detail?.AsOf ?? data.Current.AsOf
            );
        return csv.ToResult($"{i.Code}.csv");
    }

    static async Task<IResult> IndicatorSvg(PortalData data, string code, int? target, CancellationToken ct)
    {
        if (data.Current.Indicator(code) is not { } i)
            return NotFound();
        var score = data.Current.ScoreOf(i.Code);
        var chart = IndicatorChart.For(i, score, await data.DetailAsync(i.Code, ct), target);
        return Svg(chart.Render(Current, Current.Text.StatusName(score?.Status ?? "NotAvailable")), $"{i.Code}.svg");
    }

    static IResult DepartmentsCsv(PortalData data)
    {
        if (data.Current.Completeness is null)
            return NoDataYet();
        var csv = new Csv(
            "department",
            "name",
            "period",
            "indicators_owned",
            "expected",
            "on_time",
            "late",
            "missing",
            "not_yet_due",
            "open_alerts",
            "last_submission"
        );
        foreach (var r in Departments.Rows(data.Current, Current))
            csv.Row(
                r.Code,
                r.Name,
                data.Current.Completeness.Period,
                r.Indicators.Count,
                r.Completeness?.Expected ?? 0,
                r.Completeness?.OnTime ?? 0,
                r.Completeness?.Late ?? 0,
                r.Completeness?.Missing ?? 0,
                r.Completeness?.NotYetDue ?? 0,
                r.OpenAlerts,
                r.LastSubmission
            );
        return csv.ToResult("departments.csv");
    }

    static IResult AlertsCsv(PortalData data, string? kind, string? department, string? indicator)
    {
        var csv = new Csv("created_at", "kind", "indicator", "department", "period", "previous_status", "new_status", "score", "message");
        foreach (var a in Alerts.Filter(data.Current.Alerts, kind, department, indicator))
            csv.Row(a.CreatedAt, a.Kind, a.IndicatorCode, a.Department, a.Period, a.PreviousStatus, a.NewStatus, a.Score, a.Message);
        return csv.ToResult("alerts.csv");
    }
}
