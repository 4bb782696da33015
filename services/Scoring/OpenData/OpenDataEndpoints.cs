using System.Globalization;
using Cnh.ServiceDefaults;
using Microsoft.Net.Http.Headers;

namespace Cnh.Scoring.OpenData;

/// <summary>
/// <c>/open-data/</c>, public: the list of releases, and each release's files — <c>latest</c> (the data as it stands)
/// or a date (<c>/open-data/2026-12-02/data.csv</c>, never changing). <c>POST /api/open-data/releases</c>: an admin
/// publishes today's release now instead of at the scheduled time.
/// </summary>
public static class OpenDataEndpoints
{
    public const string Latest = "latest";
    static readonly string[] Files = ["data.csv", "data.json", "data.sdmx.csv", "metadata.json", "README.md", "open-data.zip"];

    public static void MapOpenDataEndpoints(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/open-data").WithTags("Open data").AllowAnonymous();
        open.MapGet("/", Index).Produces<ReleaseIndex>();
        open.MapGet("/{release}/{file}", File)
            .Produces(200, contentType: "text/csv", additionalContentTypes: ["application/json", "application/zip", "text/markdown"])
            .ProducesProblem(404);
        open.MapGet("/{release}/indicators/{file}", IndicatorFile)
            .Produces(200, contentType: "text/csv", additionalContentTypes: ["application/json"])
            .ProducesProblem(404);
        app.MapPost("/api/open-data/releases", Publish)
            .WithTags("Open data")
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .Produces<ReleaseLinks>(StatusCodes.Status201Created)
            .ProducesProblem(409);
    }

    /// <summary>The files of one release, by name: data.csv, data.json, … each with its URL.</summary>
    public sealed record ReleaseLinks(string Date, IReadOnlyDictionary<string, string> Files);

    /// <summary><c>GET /open-data/</c>: the latest files, every dated release, and when releases are made.</summary>
    public sealed record ReleaseIndex(IReadOnlyDictionary<string, string> Latest, IReadOnlyList<ReleaseLinks> Releases, string Schedule);

    static async Task<IResult> Index(OpenDataPublisher releases, CancellationToken ct)
    {
        var dates = await releases.DatesAsync(ct);
        return Results.Ok(
            new ReleaseIndex(
                Links(Latest),
                dates.Select(d => new ReleaseLinks(Name(d), Links(Name(d)))).ToList(),
                "A release is published every day; a dated release never changes, latest is the data as it stands."
            )
        );
    }

    static Dictionary<string, string> Links(string release) => Files.ToDictionary(f => f, f => $"/open-data/{release}/{f}");

    static async Task<IResult> File(string release, string file, OpenDataPublisher releases, HttpContext http, CancellationToken ct)
    {
        if (!Files.Contains(file))
            return NotFound($"A release has {string.Join(", ", Files)}, and indicators/{{code}}.csv, .json or .sdmx.csv.");
        var content = await ReadAsync(release, releases, ct);
        if (content.Problem is { } problem)
            return problem;
        var c = content.Release!;
        Cache(http, c);
        return file switch
        {
            "data.csv" => Csv(OpenDataFiles.TidyCsv(c.Rows), c, "data.csv"),
            "data.sdmx.csv" => Results.File(OpenDataFiles.SdmxCsv(c.Rows), OpenDataFiles.SdmxContentType, FileName(c, "data.sdmx.csv")),
            "data.json" => Results.File(OpenDataFiles.DataJson(c, c.Rows, c.Indicators), "application/json", FileName(c, "data.json")),
            "metadata.json" => Results.File(OpenDataFiles.Metadata(c), "application/json", FileName(c, "metadata.json")),
            "README.md" => Results.File(OpenDataFiles.Readme(c), "text/markdown; charset=utf-8"),
            _ => Results.File(OpenDataFiles.Zip(c), "application/zip", FileName(c, "open-data.zip")),
        };
    }

    static async Task<IResult> IndicatorFile(
        string release,
        string file,
        OpenDataPublisher releases,
        HttpContext http,
        CancellationToken ct
    )
    {
        var (code, format) =
            file.EndsWith(".sdmx.csv", StringComparison.Ordinal) ? (file[..^9], "sdmx")
            : file.EndsWith(".csv", StringComparison.Ordinal) ? (file[..^4], "csv")
            : file.EndsWith(".json", StringComparison.Ordinal) ? (file[..^5], "json")
            : (file, "");
        if (format == "")
            return NotFound("An indicator's file is indicators/{code}.csv, .json or .sdmx.csv.");
        var content = await ReadAsync(release, releases, ct);
        if (content.Problem is { } problem)
            return problem;
        var c = content.Release!;
        var indicator = c.Indicators.FirstOrDefault(i => string.Equals(i.Code, code, StringComparison.OrdinalIgnoreCase));
        if (indicator is null)
            return NotFound($"Release {c.Name} has no indicator '{code}'.");
        var rows = c.Rows.Where(r => r.Code == indicator.Code).ToList();
        Cache(http, c);
        return format switch
        {
            "csv" => Csv(OpenDataFiles.TidyCsv(rows), c, $"{indicator.Code}.csv"),
            "sdmx" => Results.File(OpenDataFiles.SdmxCsv(rows), OpenDataFiles.SdmxContentType, FileName(c, $"{indicator.Code}.sdmx.csv")),
            _ => Results.File(OpenDataFiles.DataJson(c, rows, [indicator]), "application/json", FileName(c, $"{indicator.Code}.json")),
        };
    }

    static async Task<IResult> Publish(OpenDataPublisher releases, CancellationToken ct)
    {
        var today = releases.Today;
        if (!await releases.PublishTodayAsync(ct))
            return Results.Problem(
                statusCode: 409,
                title: "Already published",
                detail: $"The release of {Name(today)} exists and never changes; the next one is tomorrow's. "
                    + $"/open-data/latest/ has the data as it stands."
            );
        return Results.Created($"/open-data/{Name(today)}/", new ReleaseLinks(Name(today), Links(Name(today))));
    }

    static async Task<(OpenDataContent? Release, IResult? Problem)> ReadAsync(
        string release,
        OpenDataPublisher releases,
        CancellationToken ct
    )
    {
        if (release == Latest)
            return (await releases.LatestAsync(ct), null);
        if (!DateOnly.TryParseExact(release, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return (
                null,
                NotFound($"'{release}' is not a release: use 'latest' or a date such as 2026-12-02 (the list is at /open-data/).")
            );
        return await releases.ReadAsync(date, ct) is { } content
            ? (content, null)
            : (null, NotFound($"No release was published on {release}; /open-data/ lists those that were."));
    }

    /// <summary>A dated release is immutable, so caches may keep it; latest is checked each time.</summary>
    static void Cache(HttpContext http, OpenDataContent c) =>
        http.Response.Headers[HeaderNames.CacheControl] = c.Name == Latest ? "no-cache" : "public, max-age=31536000, immutable";

    static IResult Csv(byte[] bytes, OpenDataContent c, string name) => Results.File(bytes, "text/csv; charset=utf-8", FileName(c, name));

    static string FileName(OpenDataContent c, string name) => $"cnh-hdh-{c.Name}-{name.Replace('/', '-')}";

    static string Name(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static IResult NotFound(string detail) => Results.Problem(statusCode: 404, title: "Not found", detail: detail);
}
