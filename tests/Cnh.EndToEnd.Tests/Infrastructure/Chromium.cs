using Microsoft.Playwright;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real headless Chromium (Debian's, which `./cnh test` installs: Playwright cannot download its own browser here),
/// driven by Playwright. Screenshots go under the test results (<c>.cnh/test-results/screenshots</c>).
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public static readonly string ScreenshotDirectory = Path.Combine(TestEnvironment.Root, ".cnh", "test-results", "screenshots");

    readonly IPlaywright _playwright;
    public IBrowser Browser { get; }

    Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public static async Task<Chromium> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("CNH_CHROMIUM") ?? "/usr/bin/chromium",
                Headless = true,
            }
        );
        return new Chromium(playwright, browser);
    }

    /// <summary>A fresh page that remembers its console errors and every URL it asked for.</summary>
    public async Task<BrowserPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var page = await Browser.NewPageAsync(
            new BrowserNewPageOptions
            {
                ViewportSize = new ViewportSize { Width = width, Height = height },
            }
        );
        var result = new BrowserPage(page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                lock (result.ConsoleErrors)
                    result.ConsoleErrors.Add(message.Text);
        };
        page.Request += (_, request) =>
        {
            lock (result.Requests)
                result.Requests.Add(request.Url);
        };
        return result;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = false });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}

public sealed record BrowserPage(IPage Page)
{
    public List<string> ConsoleErrors { get; } = new();
    public List<string> Requests { get; } = new();

    /// <summary>Requests to anywhere but this machine (data: and blob: URLs stay in the page).</summary>
    public IReadOnlyList<string> OffMachineRequests()
    {
        lock (Requests)
            return Requests
                .Where(u =>
                    Uri.TryCreate(u, UriKind.Absolute, out var uri)
                    && uri.Scheme is "http" or "https" or "ws" or "wss"
                    && !(uri.IsLoopback || uri.Host == "127.0.0.1")
                )
                .ToList();
    }
}
