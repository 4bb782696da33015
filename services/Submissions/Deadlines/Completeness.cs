using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Submissions.Deadlines;

/// <summary>
/// <c>GET /api/submissions/completeness?period=2025[&amp;department=]</c>: per department, the values expected in the
/// period (every period of each indicator's frequency that lies inside it), and how many came on time (the first
/// revision by the end of the due date, in the city's time zone), late, are missing (due date passed) or are not due yet.
/// </summary>
public static class Completeness
{
    public sealed record Item(string IndicatorCode, string Period, DateOnly DueDate, string State, DateTimeOffset? FirstReceivedAt);

    public sealed record DepartmentCompleteness(
        string Department,
        int Expected,
        int OnTime,
        int Late,
        int Missing,
        int NotYetDue,
        IReadOnlyList<Item> Items
    );

    public sealed record Report(string Period, DateTimeOffset AsOf, IReadOnlyList<DepartmentCompleteness> Departments);

    public static void MapCompleteness(this RouteGroupBuilder api) =>
        api.MapGet("/completeness", Handle).RequireAuthorization(AuthorizationPolicies.Reader).Produces<Report>();

    static async Task<IResult> Handle(
        HttpContext http,
        SubmissionsDb db,
        TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<DeadlineOptions> options,
        string? period,
        string? department,
        CancellationToken ct
    )
    {
        if (string.IsNullOrEmpty(period) || !ReportingPeriod.TryParse(period, out var container))
            return JsonBody.Invalid("period", "Required: 2025 (year), 2025Q3 (quarter) or 202507 (month).");
        if (!http.User.TryScopeToDepartment(department, out var scope))
            return http.User.NotYourDepartment();

        var query = db.Indicators.AsNoTracking().Where(i => !i.Retired);
        if (scope is not null)
            query = query.Where(i => i.ResponsibleDepartment == scope);
        var indicators = await query.ToListAsync(ct);
        var expected = indicators
            .SelectMany(i => container.Contained(i.ReportingFrequency).Select(p => (Indicator: i, Period: p)))
            .ToList();
        var codes = indicators.Select(i => i.Code).ToArray();
        var periods = expected.Select(e => e.Period.Text).Distinct().ToArray();
        // Revisions are numbered in the order values arrive: the first received is revision 1, one index lookup per
        // period however many revisions followed it.
        var firsts = await db
            .Submissions.AsNoTracking()
            .Where(s => codes.Contains(s.IndicatorCode) && periods.Contains(s.Period) && s.Revision == 1)
            .Select(s => new
            {
                s.IndicatorCode,
                s.Period,
                s.SubmittedAt,
            })
            .ToDictionaryAsync(x => (x.IndicatorCode, x.Period), x => x.SubmittedAt, ct);

        var now = clock.GetUtcNow();
        var zone = options.Value.Zone;
        var items = expected.Select(e =>
        {
            var due = e.Period.DueDate(e.Indicator.DueDays);
            var deadline = e.Period.Deadline(e.Indicator.DueDays, zone);
            DateTimeOffset? first = firsts.TryGetValue((e.Indicator.Code, e.Period.Text), out var at) ? at : null;
            var state = StateOf(first, deadline, now);
            return (e.Indicator.ResponsibleDepartment, Item: new Item(e.Indicator.Code, e.Period.Text, due, state, first));
        });
        var departments = items
            .GroupBy(i => i.ResponsibleDepartment)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var list = g.Select(x => x.Item).OrderBy(i => i.IndicatorCode).ThenBy(i => i.Period).ToList();
                return new DepartmentCompleteness(
                    g.Key,
                    list.Count,
                    list.Count(i => i.State == "onTime"),
                    list.Count(i => i.State == "late"),
                    list.Count(i => i.State == "missing"),
                    list.Count(i => i.State == "notYetDue"),
                    list
                );
            })
            .ToList();
        return Results.Ok(new Report(container.Text, now, departments));
    }

    /// <summary>An expected value's state: received before its deadline or after it, or not received and due or not yet.</summary>
    public static string StateOf(DateTimeOffset? firstReceived, DateTimeOffset deadline, DateTimeOffset now) =>
        firstReceived is { } f ? (f < deadline ? "onTime" : "late")
        : now >= deadline ? "missing"
        : "notYetDue";
}
