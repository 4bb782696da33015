using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests.Portal;

/// <summary>The PDF briefing, read back with poppler's pdftotext: real Vietnamese text, a page per group and per indicator
/// behind.</summary>
[Collection(PlatformCollection.Name)]
public class BriefingTests(Platform platform)
{
    [Fact]
    public async Task When_the_briefing_is_printed_its_text_is_Vietnamese_and_it_has_a_page_per_group_and_per_indicator_behind()
    {
        var scores = (await platform.GetJsonAsync("/api/scores/indicators", "viewer")).EnumerateArray().ToList();
        var groups = (await platform.GetJsonAsync("/api/catalogue/groups", "viewer")).GetArrayLength();
        var behind = scores
            .Where(s => s.GetProperty("status").GetString() is "NeedsAcceleration" or "LimitedProgress" or "Deteriorating")
            .Select(s => s.GetProperty("code").GetString()!)
            .ToList();
        var file = Path.Combine(platform.Sandbox.WorkDirectory, "briefing.pdf");
        await File.WriteAllBytesAsync(file, await platform.Http.GetByteArrayAsync(platform.Url("/reports/briefing.pdf")));

        var text = await Commands.RunCheckedAsync("pdftotext", "-enc", "UTF-8", file, "-");
        text.Should().Contain("Thu nhập bình quân đầu người").And.Contain("Chỉ số tổng hợp");
        foreach (var code in behind)
            text.Should().Contain(code);
        var info = await Commands.RunCheckedAsync("pdfinfo", file);
        info.Should().MatchRegex($@"Pages:\s+{1 + groups + behind.Count}\s");
        info.Should().MatchRegex(@"Page size:\s+595(\.\d+)? x 842", "A4");
    }
}
