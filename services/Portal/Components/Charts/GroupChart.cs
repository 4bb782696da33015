using System.Text;
using Cnh.Portal.Api;
using Cnh.Portal.Text;
using static Cnh.Portal.Components.Charts.Svg;

namespace Cnh.Portal.Components.Charts;

/// <summary>The overview's bar per group: its score on the method's −5…5 scale from a zero line, and its coverage in words.</summary>
public static class GroupChart
{
    const double Width = 760,
        RowHeight = 46,
        Top = 30,
        Left = 250,
        Right = 150;

    /// <summary>The groups' scores in the catalogue's order (the programme's own: economy, society, urban, environment).</summary>
    public static IReadOnlyList<GroupScore> InCatalogueOrder(PortalSnapshot snapshot) =>
        snapshot.Scores is not { } scores
            ? []
            : snapshot
                .Groups.Select(g => scores.Groups.FirstOrDefault(s => s.Group == g.Code))
                .OfType<GroupScore>()
                .Concat(scores.Groups.Where(s => snapshot.Group(s.Group) is null))
                .ToList();

    public static string Summary(IReadOnlyList<GroupScore> groups, IReadOnlyList<CatalogueGroup> names, Language lang) =>
        string.Join(
            "; ",
            groups.Select(g =>
                $"{Name(g, names, lang)}: {lang.Text.Score} {lang.Number(g.Score)}, {lang.Text.Coverage} {g.Scored}/{g.Total}"
            )
        ) + ".";

    public static string Name(GroupScore g, IReadOnlyList<CatalogueGroup> names, Language lang) =>
        names.FirstOrDefault(n => n.Code == g.Group) is { } n ? lang.Name(n.NameVi, n.NameEn) : g.Group;

    public static string Render(
        IReadOnlyList<GroupScore> groups,
        IReadOnlyList<CatalogueGroup> names,
        Language lang,
        string id = "groups-chart"
    )
    {
        var height = Top + groups.Count * RowHeight + 24;
        double X(double score) => Left + (score + 5) / 10 * (Width - Left - Right);
        var sb = new StringBuilder();
        sb.Append(
            $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {N(Width)} {N(height)}" width="100%" role="img" """
                + $"""aria-labelledby="{id}-title {id}-desc" lang="{lang.Code}" """
                + $"""font-family="Noto Sans, DejaVu Sans, Arial, sans-serif">"""
        );
        sb.Append(
            $"""<title id="{id}-title">{E(lang.Text.Groups)}</title><desc """
                + $"""id="{id}-desc">{E(Summary(groups, names, lang))}</desc>"""
        );
        sb.Append($"""<rect x="0" y="0" width="{N(Width)}" height="{N(height)}" fill="#ffffff"/>""");
        foreach (var tick in new[] { -5, -2.5, 0, 2.5, 5 })
        {
            sb.Append(
                $"""<line x1="{N(X(tick))}" x2="{N(X(tick))}" y1="{N(Top - 6)}" y2="{N(height - 24)}" """
                    + $"""stroke="{(tick == 0 ? "#57606a" : "#d0d7de")}"/>"""
            );
            Label(sb, X(tick), Top - 12, lang.Number(tick), "middle", size: 11);
        }
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            var y = Top + i * RowHeight + 8;
            Label(sb, Left - 10, y + 18, Name(g, names, lang), "end", size: 12);
            if (g.Score is { } score)
            {
                var (from, to) = score >= 0 ? (X(0), X(score)) : (X(score), X(0));
                sb.Append(
                    $"""<rect x="{N(from)}" y="{N(y)}" width="{N(Math.Max(2, to - from))}" height="26" """
                        + $"""fill="{(score >= 0 ? "#0550ae" : "#cf222e")}"/>"""
                );
            }
            Label(sb, Width - Right + 10, y + 18, $"{lang.Number(g.Score)} · {g.Scored}/{g.Total}", size: 12);
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}
