using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.ServiceDefaults;

namespace Cnh.Scoring.OpenData;

/// <summary>
/// The files of a release, all from its rows: tidy CSV and JSON (every revision), SDMX-CSV (the series as it stands:
/// the latest revision of each period), the metadata, a README of the columns, and one ZIP of them all. Built from
/// the same rows, a dated release's files are the same bytes every time.
/// </summary>
public static class OpenDataFiles
{
    public const string SdmxContentType = "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8";

    /// <summary>Agency, id and version of the dataflow, as SDMX-CSV's first column names it.</summary>
    public const string Dataflow = "VN_HN:CNH_HDH(1.0)";
    public const string Area = "VN-HN";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static readonly string[] Columns =
    [
        "code",
        "name_vi",
        "name_en",
        "group",
        "unit",
        "period",
        "frequency",
        "value",
        "revision",
        "latest_revision",
        "submitted_at",
        "department",
        "target_year",
        "target_op",
        "target_value",
        "status",
        "progress_value",
        "score",
        "change",
    ];

    public static readonly string[] SdmxColumns =
    [
        "DATAFLOW",
        "FREQ",
        "REF_AREA",
        "INDICATOR",
        "TIME_PERIOD",
        "OBS_VALUE",
        "UNIT_MEASURE",
        "REVISION",
        "CHANGE",
        "SUBMITTED_AT",
        "DEPARTMENT",
        "TARGET_YEAR",
        "TARGET_VALUE",
        "PROGRESS_STATUS",
        "PROGRESS_VALUE",
        "SCORE",
    ];

    public static byte[] TidyCsv(IEnumerable<OpenDataRow> rows)
    {
        var csv = new Csv(Columns);
        foreach (var r in rows)
            csv.Row(
                r.Code,
                r.NameVi,
                r.NameEn,
                r.Group,
                r.Unit,
                r.Period,
                r.Frequency,
                r.Value,
                r.Revision,
                r.LatestRevision,
                r.SubmittedAt,
                r.Department,
                r.TargetYear,
                r.TargetOp,
                r.TargetValue,
                r.Status,
                r.ProgressValue,
                r.Score,
                r.Change
            );
        return csv.ToBytes();
    }

    public static byte[] SdmxCsv(IEnumerable<OpenDataRow> rows)
    {
        var csv = new Csv(SdmxColumns);
        foreach (var r in rows.Where(r => r.LatestRevision))
            csv.Row(
                Dataflow,
                Frequency(r.Frequency),
                Area,
                r.Code,
                TimePeriod(r.Period),
                r.Value,
                r.Unit,
                r.Revision,
                r.Change,
                r.SubmittedAt,
                r.Department,
                r.TargetYear,
                r.TargetValue,
                r.Status,
                r.ProgressValue,
                r.Score
            );
        return csv.ToBytes();
    }

    public static byte[] DataJson(OpenDataContent release, IEnumerable<OpenDataRow> rows, IEnumerable<OpenDataIndicator> indicators) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new
            {
                release = release.Name,
                release.PublishedAt,
                previousRelease = release.PreviousRelease,
                indicators,
                rows,
            },
            Json
        );

    public static byte[] Metadata(OpenDataContent release) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new
            {
                release = release.Name,
                release.PublishedAt,
                previousRelease = release.PreviousRelease,
                dataflow = Dataflow,
                refArea = Area,
                columns = Columns,
                sdmxColumns = SdmxColumns,
                release.Indicators,
            },
            Json
        );

    public static byte[] Readme(OpenDataContent release) =>
        Encoding.UTF8.GetBytes(
            ReadmeText
                .Replace("{release}", release.Name)
                .Replace("{publishedAt}", release.PublishedAt.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture))
                .Replace("{previous}", release.PreviousRelease?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "none")
                .Replace("{dataflow}", Dataflow)
        );

    public static byte[] Zip(OpenDataContent release)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            // Dated with the release, not the request: the same release is the same bytes.
            var stamp =
                release.PublishedAt < new DateTimeOffset(1980, 1, 2, 0, 0, 0, TimeSpan.Zero)
                    ? new DateTimeOffset(1980, 1, 2, 0, 0, 0, TimeSpan.Zero)
                    : release.PublishedAt;
            void Add(string name, byte[] content)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = stamp;
                using var s = entry.Open();
                s.Write(content);
            }
            Add("README.md", Readme(release));
            Add("metadata.json", Metadata(release));
            Add("data.csv", TidyCsv(release.Rows));
            Add("data.json", DataJson(release, release.Rows, release.Indicators));
            Add("data.sdmx.csv", SdmxCsv(release.Rows));
        }
        return stream.ToArray();
    }

    /// <summary>SDMX's FREQ code list: A, Q, M.</summary>
    public static string Frequency(string frequency) =>
        frequency switch
        {
            ReportingPeriod.Quarterly => "Q",
            ReportingPeriod.Monthly => "M",
            _ => "A",
        };

    /// <summary>SDMX's TIME_PERIOD: 2024, 2024-Q3, 2024-07.</summary>
    public static string TimePeriod(string period)
    {
        var p = ReportingPeriod.Parse(period);
        return p.Frequency switch
        {
            ReportingPeriod.Quarterly => string.Create(CultureInfo.InvariantCulture, $"{p.Year}-Q{p.Part}"),
            ReportingPeriod.Monthly => string.Create(CultureInfo.InvariantCulture, $"{p.Year}-{p.Part:00}"),
            _ => p.Text,
        };
    }

    const string ReadmeText = """
        # Hanoi CNH-HĐH indicators — open data, release {release}

        The values Hanoi's departments reported for the industrialization–modernization indicators of Action Programme
        21-CTr/TU and Plan 139/KH-UBND, and the progress score the platform gives each. Published {publishedAt};
        rows are marked against the previous release ({previous}).

        ## Files
        - `data.csv` — tidy: one row per indicator × period × revision (UTF-8 with BOM, comma-separated, dot decimals).
        - `data.json` — the same rows, and the indicators, as JSON.
        - `data.sdmx.csv` — SDMX-CSV (SDMX 2.1): one observation per indicator × period, its latest revision.
        - `metadata.json` — the indicators as the platform scored them: names, unit, direction, baseline, targets,
          responsible department, catalogue version.

        ## Columns of data.csv
        | column | meaning |
        |---|---|
        | code | indicator code (KT01 …) |
        | name_vi, name_en | indicator name in Vietnamese and English |
        | group | KT economic, VHXH cultural-social, DT urban, MT environmental (the catalogue's group codes) |
        | unit | unit of the value |
        | period | 2024 (year), 2024Q3 (quarter) or 202407 (month) |
        | frequency | annual, quarterly or monthly |
        | value | the value reported |
        | revision | 1 for the first value of the period, 2 for its first correction, … |
        | latest_revision | true for the revision that stands; older ones are kept for the record |
        | submitted_at | when the department submitted it (ISO 8601) |
        | department | the department that submitted it |
        | target_year, target_op, target_value | the target it is scored against (the first target year after the period) |
        | status | TargetAchieved, OnTrack, NeedsAcceleration, LimitedProgress, Deteriorating or NotAvailable |
        | progress_value | observed ÷ required compound annual growth since the base (Statistics Canada / Open SDG method) |
        | score | −5 … 5, from the progress value |
        | change | new: a period the previous release did not have; revised: a period it had with another value; empty: unchanged |

        Status, progress value and score of a row are the indicator's result with that row's value for its period and the
        latest values of the earlier periods.

        ## SDMX-CSV (dataflow {dataflow})
        Dimensions: FREQ (A, Q, M), REF_AREA (VN-HN), INDICATOR (the code), TIME_PERIOD (2024, 2024-Q3, 2024-07).
        Measure: OBS_VALUE. Attributes: UNIT_MEASURE (the catalogue's unit, in Vietnamese), REVISION, CHANGE,
        SUBMITTED_AT, DEPARTMENT, TARGET_YEAR, TARGET_VALUE, PROGRESS_STATUS, PROGRESS_VALUE, SCORE.

        A dated release never changes; `latest` is the data as it stands when it is asked for.
        """;
}
