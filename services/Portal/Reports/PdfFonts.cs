using PdfSharp.Fonts;

namespace Cnh.Portal.Reports;

/// <summary>
/// PDFsharp's fonts: Noto Sans from Debian's fonts-noto-core (DejaVu Sans as a fallback), whose glyphs cover Vietnamese;
/// embedded in the PDF, so the text is real, selectable text on any reader. Set once per process.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    public const string Family = "CnhSans";
    static readonly string[][] Candidates =
    [
        ["/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"],
        ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
    ];
    static readonly Lazy<string[]?> Files = new(() => Candidates.FirstOrDefault(c => c.All(File.Exists)));
    static readonly object Gate = new();

    public static bool Available => Files.Value is not null;

    public static void Register()
    {
        lock (Gate)
            if (GlobalFontSettings.FontResolver is not PdfFonts)
                GlobalFontSettings.FontResolver = new PdfFonts();
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? "cnh-bold" : "cnh-regular");

    public byte[]? GetFont(string faceName) =>
        Files.Value is { } files ? File.ReadAllBytes(faceName == "cnh-bold" ? files[1] : files[0]) : null;
}
