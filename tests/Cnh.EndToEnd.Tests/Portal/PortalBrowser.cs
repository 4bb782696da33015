using Cnh.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cnh.EndToEnd.Tests.Portal;

/// <summary>The portal as a reader sees it: through the gateway, in a real Chromium, in Vietnamese unless told otherwise.</summary>
public sealed class PortalBrowser : IAsyncLifetime
{
    public static readonly string[] SeedCodes = System
        .Text.Json.JsonDocument.Parse(
            File.ReadAllText(Path.Combine(TestEnvironment.Root, "services", "Catalogue", "Seed", "hanoi-cnh-hdh-2030.json"))
        )
        .RootElement.GetProperty("indicators")
        .EnumerateArray()
        .Select(i => i.GetProperty("code").GetString()!)
        .ToArray();

    public static readonly Dictionary<string, string> VietnameseStatus = new()
    {
        ["TargetAchieved"] = "Đạt mục tiêu",
        ["OnTrack"] = "Đúng tiến độ",
        ["NeedsAcceleration"] = "Cần tăng tốc",
        ["LimitedProgress"] = "Tiến bộ hạn chế",
        ["Deteriorating"] = "Đi xuống",
        ["NotAvailable"] = "Chưa có số liệu",
    };

    public Chromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync() => Chromium = await Chromium.LaunchAsync();

    public async Task DisposeAsync() => await Chromium.DisposeAsync();

    /// <summary>A page in its own browser context (own cookies), in the given language.</summary>
    public async Task<IPage> OpenAsync(Platform platform, string path, string language = "vi", int width = 1280, int height = 900)
    {
        var context = await Chromium.Browser.NewContextAsync(
            new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = width, Height = height },
                AcceptDownloads = true,
            }
        );
        if (language == "en")
            await context.AddCookiesAsync([
                new Cookie
                {
                    Name = "cnh-lang",
                    Value = "c=en-GB|uic=en-GB",
                    Url = platform.Gateway.BaseUrl,
                },
            ]);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(platform.Url(path));
        response.Should().NotBeNull();
        return page;
    }
}
