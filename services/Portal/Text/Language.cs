using System.Globalization;

namespace Cnh.Portal.Text;

/// <summary>
/// The reader's language: Vietnamese unless they chose English (a cookie, set by <c>/lang/{code}</c>). Numbers follow it
/// (vi-VN <c>7.200,5</c>, en <c>7,200.5</c>), and so do dates (vi <c>dd/MM/yyyy</c>, en <c>d MMM yyyy</c>), in Hanoi's time.
/// </summary>
public sealed class Language
{
    public const string CookieName = "cnh-lang";
    public static readonly Language Vietnamese = new("vi", "vi-VN", UiText.Vi, "dd/MM/yyyy");
    public static readonly Language English = new("en", "en-GB", UiText.En, "d MMM yyyy");
    static readonly TimeZoneInfo Hanoi = FindHanoi();

    Language(string code, string culture, UiText text, string datePattern)
    {
        Code = code;
        Culture = CultureInfo.GetCultureInfo(culture);
        Text = text;
        DatePattern = datePattern;
    }

    public string Code { get; }
    public CultureInfo Culture { get; }
    public UiText Text { get; }
    public string DatePattern { get; }
    public Language Other => this == Vietnamese ? English : Vietnamese;

    public static Language FromCode(string? code) => code == English.Code ? English : Vietnamese;

    /// <summary>The language of the request being served (request localization sets the culture from the reader's cookie).</summary>
    public static Language Current => FromCode(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);

    public string Number(double? value, int decimals = 2) =>
        value is { } v ? v.ToString(decimals == 0 ? "#,##0" : "#,##0." + new string('#', decimals), Culture) : "–";

    public string Percent(double? fraction, int decimals = 1) =>
        fraction is { } f ? (f * 100).ToString("0." + new string('#', decimals), Culture) + (Code == "vi" ? " %" : "%") : "–";

    public string Date(DateTimeOffset? at) => at is { } a ? TimeZoneInfo.ConvertTime(a, Hanoi).ToString(DatePattern, Culture) : "–";

    public string Date(DateOnly? day) => day is { } d ? d.ToString(DatePattern, Culture) : "–";

    public string DateTime(DateTimeOffset? at) =>
        at is { } a ? TimeZoneInfo.ConvertTime(a, Hanoi).ToString(DatePattern + " HH:mm", Culture) : "–";

    public string IsoDateTime(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "";

    public string Name(string vi, string en) => Code == "vi" ? vi : en;

    static TimeZoneInfo FindHanoi()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("ICT", TimeSpan.FromHours(7), "ICT", "ICT");
        }
    }
}
