namespace Cnh.Scoring.OpenData;

/// <summary>
/// A dated release of the open data, stored once and never changed: its files are rebuilt from these rows byte for
/// byte, so <c>/open-data/2026-12-02/…</c> answers the same for as long as the platform runs.
/// </summary>
public sealed class OpenDataRelease
{
    public DateOnly Date { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public DateOnly? PreviousDate { get; set; }
    public required List<OpenDataRow> Rows { get; set; }
    public required List<OpenDataIndicator> Indicators { get; set; }

    public OpenDataContent ToContent() => new(Date.ToString("yyyy-MM-dd"), PublishedAt, PreviousDate, Rows, Indicators);
}

/// <summary><c>OpenData</c>: when the day's release is published, in the city's time.</summary>
public sealed class OpenDataOptions
{
    public TimeOnly PublishAt { get; set; } = new(23, 45);
    public string TimeZone { get; set; } = "Asia/Ho_Chi_Minh";
    public int CheckSeconds { get; set; } = 60;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
